import type { BrowserCookies } from '@parley/cookies/browser';
import type { ChatMessage, ServerToVisitor, VisitorFrame } from '@parley/protocol';
import { CHAT_ID_COOKIE, OPT_OUT_COOKIE } from './cookie-names.ts';
import {
  applyWidgetCookies,
  chatIdIsPersistent,
  isChatId,
  OPT_OUT_VALUE,
  type PrivacySignals,
  type WidgetCookieDeclaration,
} from './cookie-rules.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import type { Lang } from './language-choice.ts';
import { type KeyedFrame, Outbox } from './outbox.ts';
import { CLOSE_BLOCKED, CLOSE_POLICY } from './protocol-constants.ts';
import { reconnectDelay } from './reconnect-delay.ts';
import { visitorSocketUrl } from './routes.ts';

// The visitor's connection (CK-3): it opens only when the visitor opens the chat, says hello with the chat id
// from the cookie, writes the chat-id cookie once the server's welcome names it, reconnects with backoff after a
// drop and resends what the server has not acknowledged. It holds no DOM: the UI listens to it.

/** What the session needs from a WebSocket; the browser's `WebSocket` and test fakes both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/**
 * `idle` until the visitor opens the chat; `connecting` for the first connection; `ready` once welcomed;
 * `reconnecting` after a drop; `stopped` when the server refused us or the visitor turned chat off.
 */
export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'stopped';

export type NonKeyedFrame = Exclude<VisitorFrame, KeyedFrame | { type: 'hello' | 'opt_out' | 'ping' }>;

export interface ChatSessionOptions {
  origin: string;
  account: string;
  cookies: BrowserCookies;
  /** The policy's widget cookie declarations, injected at build time. */
  declarations: readonly WidgetCookieDeclaration[];
  signals: PrivacySignals;
  /** The page the visitor is on, without query or fragment. */
  page: string;
  locale: string;
  /** The visitor's IANA time zone, for websites that show agents the local time; never sent under a signal. */
  timeZone?: string;
  onFrame: (frame: ServerToVisitor) => void;
  onState: (state: ConnectionState) => void;
  connect?: (url: string) => SocketLike;
  random?: () => number;
  newKey?: () => string;
}

/**
 * With no frame for `idleMs` the session pings, and reconnects if the ping gets no answer within `answerMs`; an
 * open socket that gets no welcome within `welcomeMs` is given up too. Proxies drop idle sockets silently, and a
 * phone that changed networks may never see a close.
 */
export const HEARTBEAT = { idleMs: 25_000, answerMs: 10_000, welcomeMs: 15_000 } as const;
/** How long turning chat off waits for the server to record the choice before it goes ahead regardless. */
export const OPT_OUT_WAIT_MS = 3_000;

const OPEN = 1;

/** The page for `hello`: no query string or fragment, which may carry tokens, search terms or personal data. */
export function pageWithoutQuery(href: string): string {
  try {
    const url = new URL(href);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '';
  }
}

export class ChatSession {
  readonly outbox = new Outbox();
  private socket: SocketLike | undefined;
  /** Counts sockets, so the outbox can tell a resend from a first send. */
  private connection = 0;
  private attempt = 0;
  private ready = false;
  private stopped = false;
  private current: ConnectionState = 'idle';
  private chatId: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private optOutRecorded: (() => void) | undefined;
  /**
   * `<time> <id>` of the newest message (by time, then id) the server sent in a welcome or a `message` frame, which
   * a reconnect resumes from; ISO times of one format sort as text. Acknowledgements of the visitor's own messages
   * do not count: one may come while a message from the agent is lost on the way, and the server reads back from
   * here.
   */
  private newest = '';

  /** The page the visitor is on, which a single-page app updates with `navigate`. */
  private page: string;
  /** The last message the server was told the visitor has seen, so that each is reported once. */
  private seenId = '';

  constructor(private readonly options: ChatSessionOptions) {
    this.page = options.page;
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The visitor opened the chat: connect. Calling it again changes nothing. */
  start(): void {
    if (this.current === 'idle') this.connect();
  }

  /** Queues a message; it goes out now if the session is welcomed, else as soon as it is. Returns its key. */
  send(text: string): string {
    const key = (this.options.newKey ?? newIdempotencyKey)();
    this.queue({ type: 'send', key, text });
    return key;
  }

  /** Queues a keyed frame, also to retry one the server refused, under its original key. */
  queue(frame: KeyedFrame): void {
    this.outbox.add(frame);
    this.flush();
  }

  /** Frames that are only worth sending now (typing, profile, transcript, rating, end). False when not connected. */
  sendNow(frame: NonKeyedFrame): boolean {
    return this.write(frame);
  }

  /**
   * A single-page app moved to `page` (already without its query): the next hello says so, and a welcomed session
   * tells the server now. Before the visitor opens the chat nothing is sent (CK-7).
   */
  navigate(page: string): void {
    if (page === this.page) return;
    this.page = page;
    if (page !== '') this.write({ type: 'page', page: page.slice(0, 2048) });
  }

  /**
   * The visitor has seen the chat up to the message `id` (the panel is open on a visible page). The server hears it
   * once per message, while connected; until then a later call tries again.
   */
  seen(id: string): void {
    if (id !== this.seenId && this.write({ type: 'seen', id })) this.seenId = id;
  }

  /** After the browser says it is back online, skip the rest of the backoff. */
  retryNow(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.connect();
  }

  /**
   * CK-4: the visitor turned chat off. The server is told, with the exact `text` the visitor confirmed in the
   * widget's `language`, and given
   * a moment to record it; then the opt-out cookie is written, the chat-id cookie removed and the socket closed.
   * The cookies change even when the server cannot be reached: the choice is the visitor's, not the server's.
   */
  async optOut(text: string, language: Lang): Promise<void> {
    if (this.write({ type: 'opt_out', text, language })) {
      await new Promise<void>((resolve) => {
        this.optOutRecorded = resolve;
        setTimeout(resolve, OPT_OUT_WAIT_MS);
      });
    }
    this.stop();
    this.outbox.clear();
    this.applyCookies(true, { [OPT_OUT_COOKIE]: OPT_OUT_VALUE });
  }

  /** Closes for good: no reconnect. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeatTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.ready = false;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000);
    }
    this.setState('stopped');
  }

  private connect(): void {
    if (this.stopped) return;
    const url = visitorSocketUrl(this.options.origin, this.options.account);
    let socket: SocketLike;
    try {
      socket = (this.options.connect ?? browserSocket)(url);
    } catch {
      // A bad URL or a CSP that forbids the connection: treat it like a drop, so the visitor sees "reconnecting".
      this.dropped(1006);
      return;
    }
    this.socket = socket;
    this.ready = false;
    this.connection += 1;
    this.setState(this.connection === 1 ? 'connecting' : 'reconnecting');
    socket.onopen = () => {
      if (this.socket !== socket) return;
      socket.send(JSON.stringify(this.hello()));
      this.expectWithin(HEARTBEAT.welcomeMs);
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.dropped(event.code);
    };
    // An error is always followed by a close, which is where the reconnect happens.
    socket.onerror = () => {};
  }

  private hello(): VisitorFrame {
    const remembered = this.options.cookies.read(CHAT_ID_COOKIE);
    const chatId = this.chatId ?? (isChatId(remembered) ? remembered : undefined);
    return {
      type: 'hello',
      ...(chatId === undefined ? {} : { chatId }),
      persistent: chatIdIsPersistent(this.options.declarations, this.options.signals),
      // SIG-1: said on the socket, since browsers send no Sec-GPC header on a WebSocket handshake.
      privacySignal: this.options.signals.gpc || this.options.signals.dnt,
      ...(this.page === '' ? {} : { page: this.page.slice(0, 2048) }),
      ...(this.options.locale === '' ? {} : { locale: this.options.locale.slice(0, 35) }),
      ...(this.options.timeZone && !this.options.signals.gpc && !this.options.signals.dnt
        ? { timeZone: this.options.timeZone.slice(0, 64) }
        : {}),
      ...(this.newest ? { after: this.newest.split(' ')[1] } : {}),
    };
  }

  private hold(message: ChatMessage): void {
    const key = `${message.at} ${message.id}`;
    if (key > this.newest) this.newest = key;
  }

  private receive(data: unknown): void {
    let frame: ServerToVisitor;
    try {
      frame = JSON.parse(String(data)) as ServerToVisitor;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return;
    this.heartbeat();
    switch (frame.type) {
      case 'welcome':
        this.ready = true;
        this.attempt = 0;
        for (const message of frame.messages) this.hold(message);
        if (isChatId(frame.chatId)) {
          this.chatId = frame.chatId;
          // CK-3: the visitor opened the chat, so the chat id may now be remembered, for as long as the decision
          // allows (a session cookie under GPC or DNT, SIG-1).
          this.applyCookies(false, { [CHAT_ID_COOKIE]: frame.chatId });
        }
        this.setState('ready');
        this.options.onFrame(frame);
        this.flush();
        return;
      case 'message':
        this.hold(frame.message);
        break;
      case 'ack':
        this.outbox.settle(frame.key);
        break;
      case 'error':
        if (frame.key !== undefined) this.outbox.settle(frame.key);
        break;
      case 'done':
        if (frame.what === 'opt_out') this.optOutRecorded?.();
        break;
    }
    this.options.onFrame(frame);
  }

  private flush(): void {
    if (!this.ready) return;
    for (const frame of this.outbox.due(this.connection)) this.write(frame);
  }

  private write(frame: VisitorFrame): boolean {
    if (!this.ready || this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private dropped(code: number): void {
    this.socket = undefined;
    this.ready = false;
    clearTimeout(this.heartbeatTimer);
    if (this.stopped) return;
    if (code === CLOSE_POLICY || code === CLOSE_BLOCKED) {
      this.stopped = true;
      this.setState('stopped');
      return;
    }
    this.setState('reconnecting');
    const delay = reconnectDelay(this.attempt, this.options.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  /** Any frame proves the line is alive; silence for too long gets a ping, and silence after that a reconnect. */
  private heartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      if (this.write({ type: 'ping' })) this.expectWithin(HEARTBEAT.answerMs);
    }, HEARTBEAT.idleMs);
  }

  /** Unless a frame arrives within `ms`, the socket is presumed dead and replaced. */
  private expectWithin(ms: number): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      const socket = this.socket;
      if (!socket) return;
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000);
      this.dropped(1006);
    }, ms);
  }

  private applyCookies(optedOut: boolean, values: Parameters<typeof applyWidgetCookies>[3]): void {
    try {
      applyWidgetCookies(
        this.options.cookies,
        this.options.declarations,
        { acted: true, optedOut, signals: this.options.signals },
        values,
      );
    } catch {
      // Cookies blocked by the browser: the chat still works on this page, it just is not remembered (CK-5).
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState(state);
  }
}

const browserSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;
