import { createHmac, timingSafeEqual } from 'node:crypto';

// SIG-1: the chat id of a visitor under Global Privacy Control or Do Not Track. The server keeps no hash of it, so
// nothing it stores can recognise the browser again; the id itself carries the visitor id and a signature, which
// lets the same browser session (the chat-id cookie is then a session cookie) carry its chat from page to page.

/** Characters of the signature: 16 bytes of HMAC-SHA256, base64url. */
const SIGNATURE_CHARS = 22;
/** Longest chat id the protocol accepts (`ChatId`). */
const MAX_CHAT_ID_CHARS = 64;

const signature = (key: Buffer, accountId: string, visitorId: string): string =>
  createHmac('sha256', key)
    .update(`parley-signal-chat-id\n${accountId}\n${visitorId}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');

/** The chat id handed to a visitor under a privacy signal: their visitor id, signed for this account. */
export function signalChatId(key: Buffer, accountId: string, visitorId: string): string {
  const chatId = Buffer.from(visitorId).toString('base64url') + signature(key, accountId, visitorId);
  if (chatId.length > MAX_CHAT_ID_CHARS) throw new Error('a visitor id this long does not fit in a chat id');
  return chatId;
}

/** The visitor id in a chat id this server signed for this account; null for any other chat id. */
export function visitorIdFromSignalChatId(key: Buffer, accountId: string, chatId: string): string | null {
  if (chatId.length <= SIGNATURE_CHARS) return null;
  const visitorId = Buffer.from(chatId.slice(0, -SIGNATURE_CHARS), 'base64url').toString();
  const given = Buffer.from(chatId.slice(-SIGNATURE_CHARS));
  const expected = Buffer.from(signature(key, accountId, visitorId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? visitorId : null;
}
