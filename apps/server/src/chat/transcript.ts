import type { ConversationRecord, MessageRecord } from '@parley/db/chat';
import type { WidgetLanguage } from '@parley/protocol';
import { fillIn, pluralText, VISITOR_MAIL_STRINGS } from '../mail/visitor-mail-strings.ts';

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

interface TranscriptNames {
  organization: string;
  visitor?: string | null;
}

/**
 * Each message as `[when] who: text`, `when` written by `when`; a file message names its file in the words of
 * `file` (`[File: {name}]`), never carrying the file itself.
 */
function messageLines(
  messages: MessageRecord[],
  names: TranscriptNames & { visitor: string },
  when: (ms: number) => string,
  file: string,
): string[] {
  const who = (message: MessageRecord): string =>
    message.author === 'agent'
      ? (message.agentName ?? names.organization)
      : message.author === 'visitor'
        ? names.visitor
        : names.organization;
  const text = (message: MessageRecord): string =>
    message.file ? fillIn(file, { name: message.file.name }) : message.body;
  return messages.map((message) => `[${when(message.createdAt)}] ${who(message)}: ${text(message)}`);
}

/** A conversation as plain text for the customer API: English, times in UTC. */
export function transcriptText(
  conversation: Pick<ConversationRecord, 'startedAt'>,
  messages: MessageRecord[],
  names: TranscriptNames,
): string {
  const lines = messageLines(
    messages,
    { ...names, visitor: names.visitor ?? 'You' },
    (ms) => `${time(ms)} UTC`,
    VISITOR_MAIL_STRINGS.en.transcriptFile,
  );
  return [
    `Chat with ${names.organization}, started ${time(conversation.startedAt)} UTC`,
    '',
    ...lines,
    '',
  ].join('\n');
}

/**
 * The transcript a visitor asks to be mailed, in their language: dates and times as that language writes them (in
 * UTC, as the server does not know the visitor's time zone), and the visitor named as "you".
 */
export function transcriptMail(
  conversation: Pick<ConversationRecord, 'startedAt'>,
  messages: MessageRecord[],
  options: { organization: string; language: WidgetLanguage },
): { subject: string; body: string } {
  const { organization, language } = options;
  const strings = VISITOR_MAIL_STRINGS[language];
  const started = new Intl.DateTimeFormat(language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(conversation.startedAt);
  const at = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' });
  const last = messages.at(-1)?.createdAt ?? conversation.startedAt;
  const minutes = Math.max(0, Math.round((last - conversation.startedAt) / 60_000));
  return {
    subject: fillIn(strings.transcriptSubject, { organization }),
    body: [
      fillIn(strings.transcriptHeading, { organization, started }),
      pluralText(language, strings.transcriptLength, minutes),
      '',
      ...messageLines(
        messages,
        { organization, visitor: strings.you },
        (ms) => at.format(ms),
        strings.transcriptFile,
      ),
      '',
      '--',
      strings.transcriptRequested,
      '',
    ].join('\n'),
  };
}
