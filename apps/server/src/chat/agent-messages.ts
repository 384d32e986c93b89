import { assignAgent, type MessageRecord } from '@parley/db/chat';
import type { ChatMessage } from '@parley/protocol';
import type { Services } from '../services.ts';
import { publishConversation, publishStatusToVisitor, toAgents, toVisitor } from './notify.ts';
import { publishQueue } from './routing.ts';
import { toChatMessage } from './summaries.ts';

/**
 * After an agent's message is stored, a text from the dashboard's socket or a file from its upload: the first
 * answer takes the conversation (it becomes active and this agent's, and the chats behind it in the queue move up),
 * then the account's agents (but the socket `skip`, which has its acknowledgement) and the visitor hear it. A resend
 * is assigned and published again, as a visitor's is (see `visitor-socket.ts`); clients keep one copy of each id.
 */
export async function deliverAgentMessage(
  s: Services,
  input: {
    accountId: string;
    agentId: string;
    conversation: { id: string; chatIdHash: string | null };
    message: MessageRecord;
    skip?: string;
  },
): Promise<ChatMessage> {
  const { accountId, conversation } = input;
  const { changed } = await assignAgent(s.db, {
    accountId,
    conversationId: conversation.id,
    agentId: input.agentId,
  });
  if (changed) {
    const summary = await publishConversation(s, accountId, conversation.id);
    if (summary) await publishStatusToVisitor(s, summary);
    await publishQueue(s, accountId);
  }
  const message = toChatMessage(input.message, s.fileLinks);
  await toAgents(s, accountId, { type: 'message', message }, input.skip);
  await toVisitor(s, { accountId, chatIdHash: conversation.chatIdHash }, { type: 'message', message });
  return message;
}
