/**
 * The value of one cookie in a `Cookie` request header (or `document.cookie`), or undefined. Request headers come
 * from anyone, so malformed pairs are skipped rather than thrown on, and values are returned as sent: Parley writes
 * only cookie-octets, so it never needs to percent-decode (which could throw on bad input).
 */
export function cookieHeaderValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    // RFC 6265 allows a value wrapped in double quotes; the quotes are not part of it.
    return value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}
