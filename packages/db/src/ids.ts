import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe id with a readable prefix, e.g. `msg_3k9…`. 128 bits of randomness. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(16).toString('base64url')}`;

/** A secret for a link or key, returned once and stored only as its hash. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The chat-id cookie is stored only as a hash, so the database never holds the cookie value itself. */
export const hashChatId = (chatId: string): string => sha256(`parley-chat-id:${chatId}`);
