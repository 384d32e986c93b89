import { createHash, randomBytes, randomFillSync } from 'node:crypto';

// Ids are drawn from a pool filled 256 ids at a time: each call into the CSPRNG costs a few microseconds (a
// getpid syscall among others), which the message path paid once per message. Every id still gets 16 bytes of
// its own, never reused (Node's randomUUID pools the same way).
const ID_BYTES = 16;
const POOLED_IDS = 256;
const pool = Buffer.allocUnsafe(ID_BYTES * POOLED_IDS);
let pooled = 0;

/** `bytes` (at most 16) fresh random bytes from the pool, as base64url. */
function randomText(bytes: number): string {
  if (pooled === 0) {
    randomFillSync(pool);
    pooled = POOLED_IDS;
  }
  const start = ID_BYTES * --pooled;
  return pool.toString('base64url', start, start + bytes);
}

/** A random, URL-safe id with a readable prefix, e.g. `cnv_3k9…`. 128 bits of randomness. */
export const newId = (prefix: string): string => `${prefix}_${randomText(ID_BYTES)}`;

/** Digits of the millisecond clock in base 36: nine of them last until the year 5188. */
const TIME_DIGITS = 9;
/** Random bytes after the time: 96 bits, so ids stay unguessable. */
const ORDERED_RANDOM_BYTES = 12;

/**
 * An id that sorts by the time it was made, e.g. `msg_mhx2k1q0a…`: the time in fixed-width base 36 (whose digits
 * sort in ASCII order), then 96 random bits. Rows keyed by it are appended at the end of their index instead of on
 * a random page, which for a table written on every chat message saves a page write per row.
 */
export function newOrderedId(prefix: string, now = Date.now()): string {
  const time = Math.max(0, Math.floor(now)).toString(36).padStart(TIME_DIGITS, '0');
  return `${prefix}_${time}${randomText(ORDERED_RANDOM_BYTES)}`;
}

/** A secret for a link or key, returned once and stored only as its hash. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The chat-id cookie is stored only as a hash, so the database never holds the cookie value itself. */
export const hashChatId = (chatId: string): string => sha256(`parley-chat-id:${chatId}`);
