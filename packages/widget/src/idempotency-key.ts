const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A key the server uses to recognise a resent frame: 22 characters from [A-Za-z0-9_-] (132 random bits), inside
 * the protocol's 8 to 64. 64 symbols divide 256 evenly, so masking a byte keeps every symbol equally likely.
 */
export function newIdempotencyKey(
  fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes),
): string {
  let key = '';
  for (const byte of fill(new Uint8Array(22))) key += ALPHABET.charAt(byte & 63);
  return key;
}
