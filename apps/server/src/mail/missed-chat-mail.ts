import { type ParleyDb, queueMail, transaction } from '@parley/db';
import { claimMissedChat, findMissedChats, type MissedChat, type MissedChatRecipient } from '@parley/db/chat';
import { AGENT_MAIL_STRINGS, agentMailLanguage, mailDateTime } from './agent-mail-strings.ts';
import { fillIn } from './visitor-mail-strings.ts';

// The mail that tells an account's agents a chat went unanswered, to those who keep "By email when a chat was
// missed" on in their profile. It names the visitor only by the name they gave and links to the conversation in the
// dashboard: what the visitor wrote stays there, behind the sign-in.

/** The mail to one agent about one missed chat, in the agent's dashboard language. */
export function missedChatMail(
  chat: MissedChat,
  agent: MissedChatRecipient,
  dashboardUrl: string,
): { subject: string; body: string } {
  const language = agentMailLanguage(agent.language);
  const words = AGENT_MAIL_STRINGS[language];
  const visitor = chat.visitorName?.trim();
  const link = `${dashboardUrl}#/history/${encodeURIComponent(chat.conversationId)}`;
  return {
    subject: visitor ? fillIn(words.missedChatSubjectNamed, { name: visitor }) : words.missedChatSubject,
    body: [
      fillIn(words.greeting, { name: agent.name }),
      '',
      fillIn(words.missedChatIntro, {
        visitor: visitor || words.aVisitor,
        time: mailDateTime(language, chat.startedAt),
      }),
      words.missedChatLink,
      '',
      link,
      '',
      words.missedChatOutro,
      '',
      words.signOff,
    ].join('\n'),
  };
}

/**
 * Queues the mail about every missed chat not yet mailed. Each chat is claimed in the transaction that queues its
 * mail, so that on several nodes sharing the store each chat is mailed once, and a claim never lacks its mail.
 * Returns how many chats were mailed about.
 */
export async function mailMissedChats(
  db: ParleyDb,
  options: { dashboardUrl: string; now: number },
): Promise<number> {
  let mailed = 0;
  for (const candidate of await findMissedChats(db, { now: options.now })) {
    const claimed = await transaction(db, async () => {
      const chat = await claimMissedChat(db, { ...candidate, now: options.now });
      if (!chat) return false;
      for (const agent of chat.recipients) {
        const { subject, body } = missedChatMail(chat, agent, options.dashboardUrl);
        await queueMail(db, {
          kind: 'missed_chat',
          to: agent.email,
          accountId: chat.accountId,
          visitorId: chat.visitorId,
          subject,
          body,
          now: options.now,
        });
      }
      return true;
    });
    if (claimed) mailed += 1;
  }
  return mailed;
}

/** How often the store is asked for missed chats: a mail may come this much after the chat counts as missed. */
const MISSED_CHAT_CHECK_MS = 60_000;

/** Runs `mailMissedChats` on a timer; runs never overlap. Returns a function that stops it and waits for the last run. */
export function startMissedChatMail(
  db: ParleyDb,
  options: {
    dashboardUrl: string;
    now?: () => number;
    intervalMs?: number;
    onError?: (error: unknown) => void;
  },
): () => Promise<void> {
  const now = options.now ?? Date.now;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = mailMissedChats(db, { dashboardUrl: options.dashboardUrl, now: now() }).catch(
      (error: unknown) => options.onError?.(error),
    );
  };
  const timer = setInterval(() => {
    if (!stopped) running.then(run);
  }, options.intervalMs ?? MISSED_CHAT_CHECK_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
