import { FILES_PATH, LAUNCHER_SCRIPT_PATH } from '@parley/widget';
import type { Context, MiddlewareHandler } from 'hono';

// SEC-1: every response is locked to its own origin. Parley's pages load nothing from a third party and run no
// inline script; only the widget's files may be fetched by other sites, because customers embed them.

/** Paths customers' pages load the widget from: the launcher, each website's own launcher, and chat.js. */
export const isWidgetPath = (path: string): boolean =>
  path === LAUNCHER_SCRIPT_PATH || path.startsWith('/widget/') || /^\/w\/[^/]+\/widget\.js$/.test(path);

/** The files of chats, which the widget shows on customers' sites (`<img>`) and which must never run as a page. */
export const isFilePath = (path: string): boolean => path.startsWith(`${FILES_PATH}/`);

/** A file's answer allows nothing and runs sandboxed, whatever a browser makes of its bytes. */
export const FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

/** Pages Parley's own pages show in a frame: the demo, and a website's preview in the dashboard. */
const isOwnFramedPage = (path: string): boolean => path === '/demo' || /^\/w\/[^/]+\/preview$/.test(path);

/** The `ws:`/`wss:` sources for this host: older browsers do not count WebSockets to the same host as 'self'. */
function socketSources(c: Context, publicUrl: string | undefined): string[] {
  const hosts = new Set<string>();
  const host = c.req.header('host');
  if (host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) hosts.add(host);
  if (publicUrl) hosts.add(new URL(publicUrl).host);
  return [...hosts].flatMap((h) => [`ws://${h}`, `wss://${h}`]);
}

/** The Content-Security-Policy for a response to this path. */
export function contentSecurityPolicy(
  path: string,
  sockets: string[],
  options: { frameable?: boolean } = {},
): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets.length > 0 ? ` ${sockets.join(' ')}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The demo and preview pages may be shown inside Parley's own pages; nothing else may be framed by anyone.
    `frame-ancestors ${isOwnFramedPage(path) ? "'self'" : options.frameable ? '*' : "'none'"}`,
  ].join('; ');
}

const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

export function securityHeaders(options: { publicUrl?: string }): MiddlewareHandler {
  const https = options.publicUrl?.startsWith('https:') ?? false;
  return async (c, next) => {
    await next();
    const path = c.req.path;
    const widget = isWidgetPath(path);
    const file = isFilePath(path);
    const headers = c.res.headers;
    headers.set(
      'Content-Security-Policy',
      file
        ? FILE_CONTENT_SECURITY_POLICY
        : contentSecurityPolicy(path, socketSources(c, options.publicUrl), { frameable: widget }),
    );
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('Permissions-Policy', PERMISSIONS_POLICY);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', widget || file ? 'cross-origin' : 'same-origin');
    if (!widget && !isOwnFramedPage(path)) headers.set('X-Frame-Options', 'DENY');
    if (https) headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
