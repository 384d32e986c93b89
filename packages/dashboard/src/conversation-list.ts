import type { ChatMessage, ConversationSummary, InternalNote, ServerToAgent } from '@parley/protocol';

/**
 * The live inbox as a pure reducer: the server's frames (and a few local actions) in, the conversations an agent
 * works on out, grouped Waiting / Active with the newest activity first.
 */

export interface ConversationEntry {
  readonly summary: ConversationSummary;
  /** Visitor messages that arrived while this conversation was not the open one. */
  readonly unread: number;
  readonly visitorTyping: boolean;
}

export interface InboxState {
  readonly conversations: ReadonlyMap<string, ConversationEntry>;
  /** Messages per conversation, oldest first; present once the server sent the history. */
  readonly messages: ReadonlyMap<string, readonly ChatMessage[]>;
  /** Internal notes per conversation, oldest first; present once the server sent the history. Agents only. */
  readonly notes: ReadonlyMap<string, readonly InternalNote[]>;
  /** The conversation the agent has open, if any. */
  readonly openId: string | null;
}

export type InboxAction =
  | ServerToAgent
  /** The agent opened a conversation (or none). */
  | { type: 'focus'; conversationId: string | null }
  /** The conversation is gone from this dashboard (erased after a child flag). */
  | { type: 'remove'; conversationId: string }
  /** One of the agent's own messages was acknowledged; it becomes part of the history. */
  | { type: 'delivered'; message: ChatMessage }
  /** No typing update came for a while: assume the visitor stopped. */
  | { type: 'typing-expired'; conversationId: string };

export const emptyInbox: InboxState = {
  conversations: new Map(),
  messages: new Map(),
  notes: new Map(),
  openId: null,
};

export function lastActivity(summary: ConversationSummary): string {
  const last = summary.lastMessage?.at;
  return last && last > summary.startedAt ? last : summary.startedAt;
}

function byNewestActivity(a: ConversationEntry, b: ConversationEntry): number {
  const diff = Date.parse(lastActivity(b.summary)) - Date.parse(lastActivity(a.summary));
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  return a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0;
}

export interface ConversationGroups {
  waiting: ConversationEntry[];
  active: ConversationEntry[];
}

export function groupConversations(state: InboxState): ConversationGroups {
  const groups: ConversationGroups = { waiting: [], active: [] };
  for (const entry of state.conversations.values()) {
    if (entry.summary.status === 'waiting') groups.waiting.push(entry);
    else if (entry.summary.status === 'active') groups.active.push(entry);
  }
  groups.waiting.sort(byNewestActivity);
  groups.active.sort(byNewestActivity);
  return groups;
}

/** True when `message` is newer than what the inbox already knows for its conversation. */
function isNew(state: InboxState, entry: ConversationEntry | undefined, message: ChatMessage): boolean {
  if (entry?.summary.lastMessage?.id === message.id) return false;
  if (state.messages.get(message.conversationId)?.some((known) => known.id === message.id)) return false;
  const last = entry?.summary.lastMessage;
  return !last || Date.parse(message.at) >= Date.parse(last.at);
}

function countsAsUnread(state: InboxState, message: ChatMessage): boolean {
  return message.author === 'visitor' && state.openId !== message.conversationId;
}

/** Messages in the order they were written: by time, then by id for those of the same millisecond. */
export function byTimeThenId(a: ChatMessage, b: ChatMessage): number {
  const diff = Date.parse(a.at) - Date.parse(b.at);
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The newer of two messages by `byTimeThenId`. */
export const newerMessage = (a: ChatMessage | undefined, b: ChatMessage): ChatMessage =>
  a && byTimeThenId(a, b) >= 0 ? a : b;

function withMessage(
  list: readonly ChatMessage[] | undefined,
  message: ChatMessage,
): readonly ChatMessage[] | undefined {
  if (!list) return undefined;
  if (list.some((known) => known.id === message.id)) return list;
  const next = [...list, message];
  // Frames arrive in order almost always; sort only when one did not (a resume or catch-up brings older ones).
  const previous = list[list.length - 1];
  if (previous && byTimeThenId(previous, message) > 0) next.sort(byTimeThenId);
  return next;
}

/** Notes by time, then id, like messages. */
function byNoteTime(a: InternalNote, b: InternalNote): number {
  const diff = Date.parse(a.at) - Date.parse(b.at);
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A note that arrived live joins its conversation's notes once their history is held; before that, the history
 * brings it.
 */
function addNote(state: InboxState, note: InternalNote): InboxState {
  const list = state.notes.get(note.conversationId);
  if (!list || list.some((known) => known.id === note.id)) return state;
  const notes = new Map(state.notes);
  notes.set(note.conversationId, [...list, note].sort(byNoteTime));
  return { ...state, notes };
}

function addMessage(state: InboxState, message: ChatMessage, countUnread: boolean): InboxState {
  const entry = state.conversations.get(message.conversationId);
  const fresh = isNew(state, entry, message);
  let conversations = state.conversations;
  if (entry && fresh) {
    const next = new Map(conversations);
    next.set(message.conversationId, {
      ...entry,
      summary: { ...entry.summary, lastMessage: message },
      unread: entry.unread + (countUnread && countsAsUnread(state, message) ? 1 : 0),
      // A message from the visitor ends their typing.
      visitorTyping: message.author === 'visitor' ? false : entry.visitorTyping,
    });
    conversations = next;
  }
  const list = withMessage(state.messages.get(message.conversationId), message);
  let messages = state.messages;
  if (list && list !== state.messages.get(message.conversationId)) {
    const next = new Map(messages);
    next.set(message.conversationId, list);
    messages = next;
  }
  if (conversations === state.conversations && messages === state.messages) return state;
  return { ...state, conversations, messages };
}

function upsert(
  state: InboxState,
  summary: ConversationSummary,
  previous: ConversationEntry | undefined,
): ConversationEntry {
  const last = summary.lastMessage;
  const unseen = last && isNew(state, previous, last) && countsAsUnread(state, last) ? 1 : 0;
  // Only the frame that reports the closing says who closed it; a later one (a rating) keeps what it said.
  const closedBy = previous?.summary.status === 'closed' ? previous.summary.closedBy : undefined;
  let kept =
    summary.status === 'closed' && !summary.closedBy && closedBy ? { ...summary, closedBy } : summary;
  // A summary without tags (one sent on each message) leaves the tags the last one that had them said.
  const tags = previous?.summary.tags;
  if (!summary.tags && tags) kept = { ...kept, tags };
  return {
    summary: kept,
    unread: (previous?.unread ?? 0) + unseen,
    visitorTyping: summary.status === 'closed' ? false : (previous?.visitorTyping ?? false),
  };
}

function without<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

export function reduceInbox(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case 'snapshot': {
      // After a reconnect the snapshot is the truth; keep what is still true (unread counts, loaded history).
      const conversations = new Map<string, ConversationEntry>();
      for (const summary of action.conversations) {
        const previous = state.conversations.get(summary.id);
        // Only a conversation known before the snapshot can have news; on first load nothing counts as unread.
        conversations.set(
          summary.id,
          previous ? upsert(state, summary, previous) : { summary, unread: 0, visitorTyping: false },
        );
      }
      const open = state.openId ? state.conversations.get(state.openId) : undefined;
      if (open && !conversations.has(open.summary.id) && open.summary.status === 'closed') {
        conversations.set(open.summary.id, open);
      }
      // Told to reload, the histories held may lack messages: only the open one stays until its history comes.
      const held = ([id]: [string, unknown]) =>
        conversations.has(id) && (action.resume !== 'reload' || id === state.openId);
      const messages = new Map([...state.messages].filter(held));
      const notes = new Map([...state.notes].filter(held));
      return { ...state, conversations, messages, notes };
    }
    case 'conversation': {
      const { conversation } = action;
      const previous = state.conversations.get(conversation.id);
      // A closed conversation leaves the lists, unless the agent is looking at it; one reported as spam leaves at once.
      if (conversation.spam || (conversation.status === 'closed' && state.openId !== conversation.id)) {
        return { ...state, conversations: without(state.conversations, conversation.id) };
      }
      const conversations = new Map(state.conversations);
      conversations.set(conversation.id, upsert(state, conversation, previous));
      let next: InboxState = { ...state, conversations };
      if (conversation.lastMessage) next = addMessage(next, conversation.lastMessage, false);
      return next;
    }
    case 'history': {
      const messages = new Map(state.messages);
      const sorted = [...action.messages].sort(byTimeThenId);
      messages.set(action.conversationId, sorted);
      const notes = new Map(state.notes);
      notes.set(action.conversationId, [...(action.notes ?? [])].sort(byNoteTime));
      return { ...state, messages, notes };
    }
    case 'note':
      return addNote(state, action.note);
    case 'message':
      return addMessage(state, action.message, true);
    case 'delivered':
      return addMessage(state, action.message, false);
    case 'seen': {
      const entry = state.conversations.get(action.conversationId);
      if (!entry || entry.summary.seenByVisitor?.id === action.id) return state;
      const conversations = new Map(state.conversations);
      const seenByVisitor = { id: action.id, at: action.at };
      conversations.set(action.conversationId, { ...entry, summary: { ...entry.summary, seenByVisitor } });
      return { ...state, conversations };
    }
    case 'typing':
    case 'typing-expired': {
      const entry = state.conversations.get(action.conversationId);
      const typing = action.type === 'typing' ? action.typing : false;
      if (!entry || entry.visitorTyping === typing) return state;
      const conversations = new Map(state.conversations);
      conversations.set(action.conversationId, { ...entry, visitorTyping: typing });
      return { ...state, conversations };
    }
    case 'focus': {
      let conversations = state.conversations;
      // Leaving a closed conversation drops it from the inbox; it lives on in History.
      const leaving = state.openId ? conversations.get(state.openId) : undefined;
      if (leaving && leaving.summary.status === 'closed' && state.openId !== action.conversationId) {
        conversations = without(conversations, leaving.summary.id);
      }
      const opened = action.conversationId ? conversations.get(action.conversationId) : undefined;
      if (opened && opened.unread > 0) {
        const next = new Map(conversations);
        next.set(opened.summary.id, { ...opened, unread: 0 });
        conversations = next;
      }
      return { ...state, conversations, openId: action.conversationId };
    }
    case 'remove':
      return {
        ...state,
        conversations: without(state.conversations, action.conversationId),
        messages: without(state.messages, action.conversationId),
        notes: without(state.notes, action.conversationId),
      };
    default:
      return state;
  }
}

export interface Arrivals {
  /** Conversations that started waiting since the previous state. */
  waiting: ConversationEntry[];
  /** Visitor messages new in the open conversation. */
  messages: ChatMessage[];
}

/** What changed between two states that is worth announcing to a screen reader or in the title. */
export function arrivals(previous: InboxState, next: InboxState): Arrivals {
  const waiting = [...next.conversations.values()].filter(
    (entry) =>
      entry.summary.status === 'waiting' &&
      previous.conversations.get(entry.summary.id)?.summary.status !== 'waiting',
  );
  const messages: ChatMessage[] = [];
  const openId = next.openId;
  const before = openId ? previous.messages.get(openId) : undefined;
  const after = openId ? next.messages.get(openId) : undefined;
  // Only announce additions to a history already shown, not the history itself arriving.
  if (openId && before && after && openId === previous.openId) {
    const known = new Set(before.map((message) => message.id));
    for (const message of after)
      if (!known.has(message.id) && message.author === 'visitor') messages.push(message);
  }
  return { waiting, messages };
}

export function waitingCount(state: InboxState): number {
  let count = 0;
  for (const entry of state.conversations.values()) if (entry.summary.status === 'waiting') count += 1;
  return count;
}
