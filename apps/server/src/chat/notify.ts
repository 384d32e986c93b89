import { type ConversationRecord, getConversation, withTags } from '@parley/db/chat';
import type { ClosedBy, ServerToAgent, ServerToVisitor } from '@parley/protocol';
import { topics } from '../delivery/bus.ts';
import type { Services } from '../services.ts';
import { toConversationSummary } from './summaries.ts';

// Publishing to the bus, in the shapes the protocol gives each side. Sockets and HTTP routes both use these. Each
// settles once the bus took the frame, and rejects when it could not (Redis unreachable): the caller decides whether
// that fails its request.

export function toAgents(s: Services, accountId: string, frame: ServerToAgent, skip?: string): Promise<void> {
  return s.bus.publish(topics.agents(accountId), { kind: 'frame', frame, ...(skip ? { skip } : {}) });
}

/** To every open socket of the conversation's visitor. Nobody hears it once the visitor opted out. */
export function toVisitor(
  s: Services,
  target: { accountId: string; chatIdHash: string | null },
  frame: ServerToVisitor,
  skip?: string,
): Promise<void> {
  if (!target.chatIdHash) return Promise.resolve();
  return s.bus.publish(topics.chat(target.accountId, target.chatIdHash), {
    kind: 'frame',
    frame,
    ...(skip ? { skip } : {}),
  });
}

/** Tells the account's agents how a conversation now stands; `closedBy` when this is news of its closing. */
export async function publishConversation(
  s: Services,
  accountId: string,
  conversationId: string,
  closedBy?: ClosedBy,
): Promise<ConversationRecord | null> {
  const conversation = await getConversation(s.db, accountId, conversationId);
  if (conversation) {
    const summary = toConversationSummary(conversation, s.fileLinks);
    if (closedBy) summary.closedBy = closedBy;
    await toAgents(s, accountId, { type: 'conversation', conversation: summary });
  }
  return conversation;
}

/**
 * Tells the account's agents, on every node, the tags the conversations now carry: after an agent tagged or untagged
 * one, or an owner renamed or deleted a tag on them. Not on the message path, which leaves tags out.
 */
export async function publishTags(
  s: Services,
  accountId: string,
  conversationIds: readonly string[],
): Promise<void> {
  for (const conversationId of conversationIds) {
    const conversation = await getConversation(s.db, accountId, conversationId);
    if (!conversation) continue;
    const [tagged] = await withTags(s.db, accountId, [conversation]);
    if (tagged)
      await toAgents(s, accountId, {
        type: 'conversation',
        conversation: toConversationSummary(tagged, s.fileLinks),
      });
  }
}

/** Tells the visitor how their conversation now stands (waiting, taken by an agent, closed, and by whom). */
export function publishStatusToVisitor(
  s: Services,
  conversation: ConversationRecord,
  closedBy?: ClosedBy,
): Promise<void> {
  return toVisitor(
    s,
    { accountId: conversation.accountId, chatIdHash: conversation.visitor.chatIdHash },
    {
      type: 'conversation',
      status: conversation.status,
      ...(conversation.agentName ? { agentName: conversation.agentName } : {}),
      ...(closedBy ? { closedBy } : {}),
    },
  );
}

/** Conversations went back to the queue (their agent left): agents and each visitor hear how they now stand. */
export async function publishRequeued(
  s: Services,
  accountId: string,
  conversationIds: readonly string[],
): Promise<void> {
  for (const conversationId of conversationIds) {
    const conversation = await publishConversation(s, accountId, conversationId);
    if (conversation) await publishStatusToVisitor(s, conversation);
  }
}

/** After presence changed: agents hear the new count, visitors whether anyone is there. */
export async function publishPresence(
  s: Services,
  accountId: string,
  change: { before: number; after: number },
): Promise<void> {
  if (change.before === change.after) return;
  await toAgents(s, accountId, { type: 'presence', agentsOnline: change.after });
  if (change.before > 0 !== change.after > 0)
    await s.bus.publish(topics.visitors(accountId), {
      kind: 'frame',
      frame: { type: 'presence', agentsOnline: change.after > 0 },
    });
}
