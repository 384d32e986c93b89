import type { ParleyDb } from '@parley/db';
import { type AccessLogEntry, writeAccessLog } from '@parley/db/chat';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { privacySignals } from '../privacy/privacy-signals.ts';

// LOG-1: every request is logged with the date and time, the route, a truncated IP address, the browser family and
// major version, and the first language the browser asks for. The IP is truncated here, before anything is written;
// cookie values, query strings and full User-Agent strings never reach the log.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Octets(text: string): number[] | null {
  const match = IPV4.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address, or null if it is not one. */
function ipv6Groups(text: string): number[] | null {
  const address = text.split('%')[0]!;
  if (!/^[0-9A-Fa-f:.]+$/.test(address)) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (piece.includes('.')) {
        // An embedded IPv4 address can only be the last piece.
        const octets = i === pieces.length - 1 ? ipv4Octets(piece) : null;
        if (!octets) return null;
        groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else return null;
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

const truncateIpv4 = (octets: number[]): string => `${octets[0]}.${octets[1]}.${octets[2]}.0`;

/**
 * LOG-1: an IPv4 address keeps its /24 (`203.0.113.7` → `203.0.113.0`), an IPv6 address its /48
 * (`2001:db8:1:2::5` → `2001:db8:1::`); an IPv4-mapped IPv6 address is treated as the IPv4 address it carries.
 * Anything that is not an IP address gives null, so nothing unexpected is ever written.
 */
export function truncateIp(address: string | null | undefined): string | null {
  if (!address) return null;
  const text = address.trim().replace(/^\[(.*)\]$/, '$1');
  const v4 = ipv4Octets(text);
  if (v4) return truncateIpv4(v4);
  const groups = ipv6Groups(text);
  if (!groups) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return truncateIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  const kept = groups.slice(0, 3);
  while (kept.length > 0 && kept[kept.length - 1] === 0) kept.pop();
  return `${kept.map((g) => g.toString(16)).join(':')}::`;
}

const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\b(?:CriOS|Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[\d.]*(?: Mobile\/\S+)? Safari\//, 'Safari'],
  [/\bcurl\/(\d+)/, 'curl'],
];

/** LOG-1: the browser family and major version (`Firefox 132`); never the full User-Agent string. */
export function browserFromUserAgent(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  if (/bot|crawl|spider|slurp/i.test(userAgent)) return 'Bot';
  for (const [pattern, family] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) return `${family} ${match[1]}`;
  }
  return 'Other';
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** LOG-1: the first language tag of an Accept-Language header (`de-AT,de;q=0.9` → `de-AT`). */
export function firstLanguage(acceptLanguage: string | null | undefined): string | null {
  const tag = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  return tag && tag.length <= 35 && LANGUAGE_TAG.test(tag) ? tag : null;
}

/**
 * The route to log: the registered pattern when it has parameters (so a token in a path, such as an invitation's,
 * is never written), else the path. Never the query string.
 */
export function loggedRoute(c: Context): string {
  const pattern = routePath(c);
  return pattern.includes(':') ? pattern : c.req.path;
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** The client's address: the socket's peer, or behind a trusted proxy the last X-Forwarded-For hop. */
export function resolveClientAddress(
  forwardedFor: string | undefined,
  peerAddress: string | undefined,
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const hop = forwardedFor?.split(',').at(-1)?.trim();
    if (hop) return hop;
  }
  return peerAddress;
}

/** `resolveClientAddress` for a request that came through Hono. */
export const clientAddress = (c: Context, trustProxy: boolean): string | undefined =>
  resolveClientAddress(
    c.req.header('x-forwarded-for'),
    (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress,
    trustProxy,
  );

/** What a log line is made from, whether the request was answered by Hono or upgraded to a WebSocket. */
export interface LoggedRequest {
  method: string;
  /** See `loggedRoute`: never a query string, nor a path that may hold a token. */
  route: string;
  status: number;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  /** SIG-1: the request carried Global Privacy Control or Do Not Track. */
  privacySignal?: boolean;
}

/** SIG-1: whether a request carried either signal, read from its headers. */
export const carriesPrivacySignal = (header: (name: string) => string | undefined): boolean => {
  const { gpc, dnt } = privacySignals(header);
  return gpc || dnt;
};

/**
 * LOG-1: the line for a request, reduced to what may be kept. SIG-1: for a request that carried a privacy signal,
 * not even the browser family or language is kept; the line says only what was asked, when, and from where (the
 * address truncated), which is what keeping the service secure needs.
 */
export function accessLogEntry(request: LoggedRequest): AccessLogEntry {
  const { route } = request;
  const describeClient = request.privacySignal !== true;
  return {
    at: Date.now(),
    method: request.method,
    route: route.length > 256 ? `${route.slice(0, 255)}…` : route,
    status: request.status,
    durationMs: Math.round(performance.now() - request.startedAt),
    ipTruncated: truncateIp(request.clientAddress),
    browser: describeClient ? browserFromUserAgent(request.userAgent) : null,
    language: describeClient ? firstLanguage(request.acceptLanguage) : null,
    visitorId: null,
  };
}

/** How long lines naming an erased visitor are still refused: longer than a socket takes to close. */
const ERASED_VISITOR_MEMORY_MS = 60 * 60 * 1000;

/** Collects log lines and writes them in batches, off the request's path. */
export class AccessLogWriter {
  #queue: AccessLogEntry[] = [];
  #timer: NodeJS.Timeout | null = null;
  /** Visitors being or just erased, with when they were: no line naming them is written any more (RET-4). */
  readonly #erased = new Map<string, number>();

  constructor(
    private readonly db: ParleyDb,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly delayMs = 200,
    private readonly maxBatch = 200,
  ) {}

  /**
   * RET-4: the visitor is about to be erased. Lines naming them that wait to be written are dropped, and so is any
   * line naming them that comes later (a socket's line is written when it closes, which may be after the erasure).
   */
  forgetVisitor(visitorId: string, now = Date.now()): void {
    for (const [id, at] of this.#erased) if (at <= now - ERASED_VISITOR_MEMORY_MS) this.#erased.delete(id);
    this.#erased.set(visitorId, now);
    this.#queue = this.#queue.filter((entry) => entry.visitorId !== visitorId);
  }

  push(entry: AccessLogEntry): void {
    if (entry.visitorId !== null && this.#erased.has(entry.visitorId)) return;
    this.#queue.push(entry);
    if (this.#queue.length >= this.maxBatch) void this.flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.delayMs);
      this.#timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#queue;
    this.#queue = [];
    try {
      await writeAccessLog(this.db, batch);
    } catch (error) {
      this.onError(error);
    }
  }

  get pending(): number {
    return this.#queue.length;
  }
}

/** What a socket can do with its log line. */
export interface AccessLogHandle {
  setVisitor(visitorId: string | null): void;
  /** SIG-1: the visitor sent a privacy signal on the socket: the line keeps neither browser nor language. */
  withoutClientDetails(): void;
  /** Writes the line. Safe to call more than once. */
  finish(): void;
}

/**
 * A WebSocket's log line, held until the socket closes so that it can be linked to the visitor it turned out to be
 * (RET-4 erasure then finds and deletes it).
 */
export class DeferredAccessLog implements AccessLogHandle {
  #entry: AccessLogEntry | null;

  constructor(
    private readonly writer: AccessLogWriter,
    entry: AccessLogEntry,
  ) {
    this.#entry = entry;
  }

  setVisitor(visitorId: string | null): void {
    if (this.#entry) this.#entry.visitorId = visitorId;
  }

  withoutClientDetails(): void {
    if (!this.#entry) return;
    this.#entry.browser = null;
    this.#entry.language = null;
  }

  finish(): void {
    if (!this.#entry) return;
    this.writer.push(this.#entry);
    this.#entry = null;
  }
}

/** LOG-1 for every request Hono answers. WebSocket upgrades never reach Hono; `sockets/upgrade.ts` logs those. */
export function accessLog(writer: AccessLogWriter, options: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    writer.push(
      accessLogEntry({
        method: c.req.method,
        route: loggedRoute(c),
        status: c.res.status,
        startedAt,
        clientAddress: clientAddress(c, options.trustProxy),
        userAgent: c.req.header('user-agent'),
        acceptLanguage: c.req.header('accept-language'),
        privacySignal: carriesPrivacySignal((name) => c.req.header(name)),
      }),
    );
  };
}
