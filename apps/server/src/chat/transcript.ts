import type { ConversationRecord, MessageRecord } from '@parley/db/chat';

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/** A conversation as plain text, for the transcript a visitor asks to be mailed and for the customer API. */
export function transcriptText(
  conversation: Pick<ConversationRecord, 'startedAt'>,
  messages: MessageRecord[],
  names: { organization: string; visitor?: string | null },
): string {
  const who = (message: MessageRecord): string =>
    message.author === 'agent'
      ? (message.agentName ?? names.organization)
      : message.author === 'visitor'
        ? (names.visitor ?? 'You')
        : names.organization;
  const lines = messages.map(
    (message) => `[${time(message.createdAt)} UTC] ${who(message)}: ${message.body}`,
  );
  return [
    `Chat with ${names.organization}, started ${time(conversation.startedAt)} UTC`,
    '',
    ...lines,
    '',
  ].join('\n');
}
