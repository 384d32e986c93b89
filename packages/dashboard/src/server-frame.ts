import type { ServerToAgent } from '@parley/protocol';

/**
 * Reads one frame from `/ws/agent`. The browser bundle carries no zod, so this checks what the dashboard relies on
 * (a known `type` and the fields it reads) and drops anything else rather than render half a frame.
 */

type Check = (frame: Record<string, unknown>) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A file message's file: its links are put into the page, so they must be what the server sends. */
function isFile(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.name) &&
    isString(value.type) &&
    typeof value.size === 'number' &&
    isString(value.url) &&
    value.url.startsWith('/files/') &&
    (value.thumbUrl === undefined || (isString(value.thumbUrl) && value.thumbUrl.startsWith('/files/')))
  );
}

function isMessage(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.conversationId) &&
    (value.author === 'visitor' || value.author === 'agent' || value.author === 'system') &&
    isString(value.text) &&
    isString(value.at) &&
    (value.file === undefined || isFile(value.file))
  );
}

function isNote(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.conversationId) &&
    isString(value.text) &&
    isString(value.at)
  );
}

const isClosedBy = (value: unknown): boolean =>
  isObject(value) && (value.by === 'visitor' || (value.by === 'agent' && isString(value.name)));

/** A read receipt: a message id and when it was seen. */
const isSeenReceipt = (value: unknown): boolean =>
  isObject(value) && isString(value.id) && isString(value.at);

function isConversation(value: unknown): boolean {
  return (
    isObject(value) &&
    isString(value.id) &&
    (value.status === 'waiting' || value.status === 'active' || value.status === 'closed') &&
    isObject(value.visitor) &&
    isString(value.startedAt) &&
    (value.lastMessage === undefined || isMessage(value.lastMessage)) &&
    (value.closedBy === undefined || isClosedBy(value.closedBy)) &&
    (value.seenByVisitor === undefined || isSeenReceipt(value.seenByVisitor))
  );
}

const CHECKS: Record<ServerToAgent['type'], Check> = {
  snapshot: (f) =>
    isObject(f.agent) &&
    typeof f.agent.online === 'boolean' &&
    Array.isArray(f.conversations) &&
    f.conversations.every(isConversation) &&
    (f.resume === undefined || f.resume === 'complete' || f.resume === 'reload'),
  conversation: (f) => isConversation(f.conversation),
  history: (f) =>
    isString(f.conversationId) &&
    Array.isArray(f.messages) &&
    f.messages.every(isMessage) &&
    (f.notes === undefined || (Array.isArray(f.notes) && f.notes.every(isNote))),
  message: (f) => isMessage(f.message),
  note: (f) => isNote(f.note),
  typing: (f) => isString(f.conversationId) && typeof f.typing === 'boolean',
  seen: (f) => isString(f.conversationId) && f.by === 'visitor' && isSeenReceipt(f),
  ack: (f) => isString(f.key) && isString(f.id) && isString(f.at),
  presence: (f) => typeof f.agentsOnline === 'number',
  error: (f) => isString(f.code) && isString(f.message),
  pong: () => true,
};

export function parseServerFrame(raw: unknown): ServerToAgent | null {
  if (typeof raw !== 'string') return null;
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(frame) || !isString(frame.type) || !Object.hasOwn(CHECKS, frame.type)) return null;
  const check = CHECKS[frame.type as ServerToAgent['type']];
  return check(frame) ? (frame as unknown as ServerToAgent) : null;
}
