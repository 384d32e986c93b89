import type { ConversationRecord, MessageRecord, NoteRecord } from '@parley/db/chat';
import type {
  ChatMessage,
  ConversationSummary,
  InternalNote,
  SeenReceipt,
  VisitorSummary,
} from '@parley/protocol';
import type { FileLinks } from '../files/file-links.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A stored message as the protocol carries it; a file message with its file's details and fresh signed links. */
export function toChatMessage(message: MessageRecord, links: FileLinks): ChatMessage {
  return {
    id: message.id,
    conversationId: message.conversationId,
    author: message.author,
    ...(message.author === 'agent' && message.agentName ? { authorName: message.agentName } : {}),
    text: message.body,
    at: iso(message.createdAt),
    ...(message.file ? { file: links.chatFile(message.file) } : {}),
  };
}

/** A stored internal note as the protocol carries it, to agents only. */
export function toInternalNote(note: NoteRecord): InternalNote {
  return {
    id: note.id,
    conversationId: note.conversationId,
    ...(note.agentId ? { agentId: note.agentId } : {}),
    ...(note.agentName ? { authorName: note.agentName } : {}),
    text: note.body,
    at: iso(note.createdAt),
  };
}

/** What agents see of a visitor: never an IP address, and nothing the visitor did not give or the widget did not say. */
export function toVisitorSummary(visitor: ConversationRecord['visitor']): VisitorSummary {
  const summary: VisitorSummary = {};
  if (visitor.name) summary.name = visitor.name;
  if (visitor.email) summary.email = visitor.email;
  if (visitor.currentPage) summary.page = visitor.currentPage;
  if (visitor.country) summary.country = visitor.country;
  if (visitor.locale) summary.locale = visitor.locale;
  if (visitor.timeZone) summary.timeZone = visitor.timeZone;
  if (visitor.browser) summary.browser = visitor.browser;
  if (visitor.system) summary.system = visitor.system;
  // The store gives a trail and earlier conversations only where the website shows them.
  if (visitor.pages.length > 0) summary.pages = visitor.pages.map(({ path, at }) => ({ path, at: iso(at) }));
  if (visitor.earlier.length > 0)
    summary.earlier = visitor.earlier.map(({ id, startedAt }) => ({ id, startedAt: iso(startedAt) }));
  return summary;
}

export function toConversationSummary(
  conversation: ConversationRecord,
  links: FileLinks,
): ConversationSummary {
  const summary: ConversationSummary = {
    id: conversation.id,
    status: conversation.status,
    visitor: toVisitorSummary(conversation.visitor),
    startedAt: iso(conversation.startedAt),
  };
  if (conversation.agentId) summary.agentId = conversation.agentId;
  if (conversation.agentName) summary.agentName = conversation.agentName;
  if (conversation.lastMessage) summary.lastMessage = toChatMessage(conversation.lastMessage, links);
  if (conversation.rating !== null) summary.rating = conversation.rating;
  if (conversation.website) summary.website = conversation.website.name;
  if (conversation.tags) summary.tags = conversation.tags;
  const seen = seenReceipt(conversation.visitorSeenId, conversation.visitorSeenAt);
  if (seen) summary.seenByVisitor = seen;
  if (conversation.department) summary.department = conversation.department;
  if (conversation.spamAt !== null) summary.spam = true;
  return summary;
}

/** A stored read receipt as the protocol carries it; none until that side has seen a message. */
export function seenReceipt(id: string | null, at: number | null): SeenReceipt | null {
  return id === null || at === null ? null : { id, at: iso(at) };
}

/** The customer API's view of a conversation: the summary plus the times an account reports on. */
export function toApiConversation(conversation: ConversationRecord, links: FileLinks) {
  return {
    id: conversation.id,
    status: conversation.status,
    startedAt: iso(conversation.startedAt),
    firstResponseAt: conversation.firstResponseAt === null ? null : iso(conversation.firstResponseAt),
    closedAt: conversation.closedAt === null ? null : iso(conversation.closedAt),
    agent: conversation.agentId ? { id: conversation.agentId, name: conversation.agentName } : null,
    visitor: { id: conversation.visitorId, ...toVisitorSummary(conversation.visitor) },
    rating: conversation.rating,
    ratingComment: conversation.ratingComment,
    /** The website the chat came from, while it exists. */
    website: conversation.website,
    lastMessage: conversation.lastMessage ? toChatMessage(conversation.lastMessage, links) : null,
  };
}
