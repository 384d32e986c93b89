import type { Context } from 'hono';

/**
 * Whether a request comes from a page of this server. Browsers send `Origin` on every state-changing request and on
 * WebSocket handshakes; `Sec-Fetch-Site` is the fallback. The host is compared, not the scheme, because a TLS proxy
 * in front of the server makes the page https while the request arrives as http. PARLEY_PUBLIC_URL is also accepted,
 * for proxies that rewrite the Host header.
 */
export function isSameOrigin(c: Context, publicUrl?: string): boolean {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (origin === 'null') return false;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    return parsed.host === host || (publicUrl !== undefined && parsed.origin === publicUrl);
  }
  return c.req.header('sec-fetch-site') === 'same-origin';
}
