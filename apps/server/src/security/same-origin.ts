import type { Context } from 'hono';

/** The request headers the same-origin check reads. */
export interface OriginHeaders {
  origin: string | undefined;
  host: string | undefined;
  secFetchSite: string | undefined;
}

/**
 * Whether a request comes from a page of this server. Browsers send `Origin` on every state-changing request and on
 * WebSocket handshakes; `Sec-Fetch-Site` is the fallback. The host is compared, not the scheme, because a TLS proxy
 * in front of the server makes the page https while the request arrives as http. PARLEY_PUBLIC_URL is also accepted,
 * for proxies that rewrite the Host header.
 */
export function hasSameOrigin(headers: OriginHeaders, publicUrl?: string): boolean {
  const { origin } = headers;
  if (origin !== undefined) {
    if (origin === 'null') return false;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    return parsed.host === headers.host || (publicUrl !== undefined && parsed.origin === publicUrl);
  }
  return headers.secFetchSite === 'same-origin';
}

/** `hasSameOrigin` for a request that came through Hono. */
export const isSameOrigin = (c: Context, publicUrl?: string): boolean =>
  hasSameOrigin(
    {
      origin: c.req.header('origin'),
      host: c.req.header('host') ?? new URL(c.req.url).host,
      secFetchSite: c.req.header('sec-fetch-site'),
    },
    publicUrl,
  );
