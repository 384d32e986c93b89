/** What a path segment that looks like an id becomes: agents see that there was one, not which. */
export const MASKED_SEGMENT = ':id';
/** The longest path kept; a longer one is cut at a segment boundary. */
export const MASKED_PATH_MAX = 512;

const EMAIL_LIKE = /@/;
const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i;
const LONG_DIGIT_RUN = /\d{6,}/;
/** Separators inside a segment: slugs use them, and tokens are still long between them. */
const PIECE_SEPARATORS = /[-_.~+=,:!$*'()]/;

/** Whether a piece of a segment reads like a token: long, and letters mixed with digits, or very long at all. */
function isTokenLike(piece: string): boolean {
  if (piece.length >= 32) return true;
  return piece.length >= 16 && /\d/.test(piece) && /\p{L}/u.test(piece);
}

/**
 * Whether a (decoded) path segment may name a person or a secret: an email address, a number of six digits or
 * more (orders, phone numbers, customer numbers), eight digits in all however they are split, a UUID, or a long
 * token of letters and digits (session ids, reset codes, hex or base64 keys).
 */
export function isIdLike(segment: string): boolean {
  if (EMAIL_LIKE.test(segment) || UUID.test(segment) || LONG_DIGIT_RUN.test(segment)) return true;
  if ((segment.match(/\d/g)?.length ?? 0) >= 8) return true;
  return segment.split(PIECE_SEPARATORS).some(isTokenLike);
}

/** A segment as it reads, or null where its escapes are broken (then it is treated as an id). */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** One segment as kept: matrix parameters (`;jsessionid=…`) dropped, masked if it looks like an id. */
function maskSegment(segment: string): string {
  const [kept = ''] = segment.split(';');
  const text = decoded(kept);
  if (text === null || isIdLike(text)) return MASKED_SEGMENT;
  // Escaped slashes or control characters inside one segment are not a page name anyone needs.
  if (/[/\\\p{Cc}]/u.test(text)) return MASKED_SEGMENT;
  return kept;
}

/**
 * The page a visitor opened, as agents may see it: the path alone (the conversation already names the website),
 * without query string or fragment, whose search terms and tokens nobody needs, and with every segment that looks
 * like an id masked (`/orders/123456/invoice` → `/orders/:id/invoice`). Null for anything that is not an http(s)
 * address.
 */
export function maskedPath(page: string | null | undefined): string | null {
  if (!page) return null;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const segments = url.pathname.split('/').slice(1).map(maskSegment);
  let path = `/${segments.join('/')}`;
  while (path.length > MASKED_PATH_MAX) path = path.slice(0, path.lastIndexOf('/')) || '/';
  return path;
}
