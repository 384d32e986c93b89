import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import type { Context } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** How long browsers and proxies may keep a file. */
export type CachePolicy = 'revalidate' | 'short' | 'immutable';

const CACHE_CONTROL: Record<CachePolicy, string> = {
  /** Check with the server every time (an unchanged file costs a 304). */
  revalidate: 'no-cache',
  /** The widget's entry point: customers' pages pick up a new release within five minutes. */
  short: 'public, max-age=300, stale-while-revalidate=86400',
  /** Files whose name changes with their content. */
  immutable: 'public, max-age=31536000, immutable',
};

/**
 * The absolute path of `relative` inside `root`, or null if it would leave the root or is not a plain path (a
 * request for `/..%2F..%2Fetc/passwd` must find nothing).
 */
export function safeJoin(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return target === base || target.startsWith(`${base}${sep}`) ? target : null;
}

async function fileAt(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest\+json)|image\/svg\+xml)/;

/**
 * Gzipped copies of served files, made once per version of a file (keyed by path and ETag). The front ends are a
 * few dozen small files, so this stays small; the widget's chat UI goes out at a third of its size.
 */
const gzipped = new Map<string, Uint8Array<ArrayBuffer>>();

function gzipOnce(path: string, etag: string, body: Buffer): Uint8Array<ArrayBuffer> {
  const key = `${path}\0${etag}`;
  let zipped = gzipped.get(key);
  if (!zipped) {
    zipped = new Uint8Array(gzipSync(body, { level: constants.Z_BEST_COMPRESSION }));
    gzipped.set(key, zipped);
  }
  return zipped;
}

const acceptsGzip = (header: string | undefined): boolean =>
  !!header &&
  header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return coding?.trim() === 'gzip' && !params.some((p) => p.trim() === 'q=0');
  });

/**
 * Sends a body with an ETag made from `version`, answers a matching If-None-Match with 304, and gzips text for
 * clients that accept it.
 */
function sendBody(
  c: Context,
  body: Uint8Array,
  options: {
    contentType: string;
    cache: CachePolicy;
    status: 200 | 404;
    version: string;
    gzip: (body: Uint8Array) => Uint8Array<ArrayBuffer>;
  },
): Response {
  const compressible = COMPRESSIBLE.test(options.contentType);
  const gzip = compressible && acceptsGzip(c.req.header('accept-encoding'));
  const etag = `W/"${options.version}${gzip ? '-gz' : ''}"`;
  const headers: Record<string, string> = {
    'Content-Type': options.contentType,
    'Cache-Control': CACHE_CONTROL[options.cache],
    ETag: etag,
    ...(compressible ? { Vary: 'Accept-Encoding' } : {}),
  };
  if (options.status === 200 && c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  if (!gzip) return c.body(new Uint8Array(body), options.status, headers);
  return c.body(options.gzip(body), options.status, { ...headers, 'Content-Encoding': 'gzip' });
}

/**
 * Serves the first of `candidates` (paths relative to `root`) that is a file, or returns null. Sends an ETag,
 * answers a matching If-None-Match with 304, and gzips text files for clients that accept it.
 */
export async function serveFile(
  c: Context,
  root: string,
  candidates: string[],
  cache: CachePolicy,
  status: 200 | 404 = 200,
): Promise<Response | null> {
  for (const candidate of candidates) {
    const path = safeJoin(root, candidate);
    if (!path) continue;
    const info = await fileAt(path);
    if (!info) continue;
    const version = `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}`;
    return sendBody(c, await readFile(path), {
      contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      cache,
      status,
      version,
      gzip: (body) => gzipOnce(path, version, Buffer.from(body)),
    });
  }
  return null;
}

/** A page of the public site rendered for this installation, kept while the policy in force stays the same. */
export interface RenderedPage {
  status: 200 | 404;
  contentType: string;
  body: Uint8Array;
  /** A digest of the body, for its ETag. */
  version: string;
  /** Made on the first request that accepts gzip. */
  gzipped?: Uint8Array<ArrayBuffer>;
}

/** The page a renderer answered with, or null for an answer that is not a page (a redirect, an error). */
export async function readRendered(response: Response): Promise<RenderedPage | null> {
  const status = response.status;
  if (status !== 200 && status !== 404) return null;
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    status,
    contentType: response.headers.get('content-type') ?? 'text/html; charset=utf-8',
    body,
    version: createHash('sha256').update(body).digest('base64url').slice(0, 22),
  };
}

/**
 * Sends a rendered page with an ETag from its content, so that an unchanged page costs a 304; browsers check with
 * the server every time, because the page follows the policy in force.
 */
export function sendRendered(c: Context, page: RenderedPage): Response {
  return sendBody(c, page.body, {
    contentType: page.contentType,
    cache: 'revalidate',
    status: page.status,
    version: page.version,
    gzip: (body) => {
      page.gzipped ??= new Uint8Array(gzipSync(body));
      return page.gzipped;
    },
  });
}

/**
 * Sends text made for this request (a website's launcher), with an ETag from its content so that an unchanged
 * answer costs a 304, gzipped for clients that accept it.
 */
export function sendGenerated(
  c: Context,
  text: string,
  options: { contentType: string; cache: CachePolicy; status: 200 | 404 },
): Response {
  const body = new TextEncoder().encode(text);
  return sendBody(c, body, {
    ...options,
    version: createHash('sha256').update(body).digest('base64url').slice(0, 22),
    gzip: (raw) => new Uint8Array(gzipSync(raw)),
  });
}
