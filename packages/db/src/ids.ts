import { createHash, randomBytes, randomFillSync } from 'node:crypto';

// Ids are drawn from a pool filled 256 ids at a time: each call into the CSPRNG costs a few microseconds (a
// getpid syscall among others), which the message path paid once per message. Every id still gets 16 bytes of
// its own, never reused (Node's randomUUID pools the same way).
const ID_BYTES = 16;
const POOLED_IDS = 256;
const pool = Buffer.allocUnsafe(ID_BYTES * POOLED_IDS);
let pooled = 0;

/** A random, URL-safe id with a readable prefix, e.g. `msg_3k9…`. 128 bits of randomness. */
export function newId(prefix: string): string {
  if (pooled === 0) {
    randomFillSync(pool);
    pooled = POOLED_IDS;
  }
  const start = ID_BYTES * --pooled;
  return `${prefix}_${pool.toString('base64url', start, start + ID_BYTES)}`;
}

/** A secret for a link or key, returned once and stored only as its hash. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The chat-id cookie is stored only as a hash, so the database never holds the cookie value itself. */
export const hashChatId = (chatId: string): string => sha256(`parley-chat-id:${chatId}`);
