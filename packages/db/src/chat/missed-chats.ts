import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { read, readOne, write } from '../statements.ts';

/**
 * Chats nobody answered: a visitor ended or left a chat no agent replied to, or it has waited this long. Each is
 * claimed once, by whichever server node gets there first, so its agents hear of it in one mail, not one a node.
 */

/** How long an open chat may wait without an answer before it counts as missed. */
export const MISSED_CHAT_WAIT_MS = 10 * 60_000;

/**
 * Chats that started longer ago than this are never reported: a mail a day later helps nobody, and the first run
 * after an upgrade must not mail about every unanswered chat the account ever had.
 */
export const MISSED_CHAT_LOOKBACK_MS = 24 * 3_600_000;

export interface MissedChatCandidate {
  conversationId: string;
  accountId: string;
}

export interface MissedChatRecipient {
  name: string;
  email: string;
  /** The dashboard language the agent chose; null: none chosen. */
  language: 'en' | 'de' | null;
}

export interface MissedChat extends MissedChatCandidate {
  /** The mail about the chat names the visitor: it is theirs too, and erased with them (RET-4). */
  visitorId: string;
  startedAt: number;
  /** The name the visitor gave, if any: the mail names them by it, and says nothing of what they wrote. */
  visitorName: string | null;
  /** The account's agents who asked for this mail (`notify_missed_mail`), removed agents left out. */
  recipients: MissedChatRecipient[];
}

/** Missed chats not claimed yet, oldest first; `claimMissedChat` decides which node mails each. */
export async function findMissedChats(
  db: ParleyDb,
  input: { now: number; limit?: number },
): Promise<MissedChatCandidate[]> {
  return read(db, (o, { conversations: c }) =>
    o
      .select({ conversationId: c.id, accountId: c.accountId })
      .from(c)
      .where(
        and(
          isNull(c.missedMailAt),
          isNull(c.firstResponseAt),
          gte(c.startedAt, input.now - MISSED_CHAT_LOOKBACK_MS),
          or(eq(c.status, 'closed'), lte(c.startedAt, input.now - MISSED_CHAT_WAIT_MS)),
        ),
      )
      .orderBy(asc(c.startedAt), asc(c.id))
      .limit(input.limit ?? 50),
  );
}

/**
 * Claims the mail about one missed chat: of every caller, only one gets the chat back, the others null (as does a
 * chat an agent answered meanwhile). Call it inside the transaction that queues the mail, so that a claim is never
 * left without its mail.
 */
export async function claimMissedChat(
  db: ParleyDb,
  input: MissedChatCandidate & { now: number },
): Promise<MissedChat | null> {
  const claimed = await write(db, (o, { conversations: c }) =>
    o
      .update(c)
      .set({ missedMailAt: input.now })
      .where(
        and(
          eq(c.id, input.conversationId),
          eq(c.accountId, input.accountId),
          isNull(c.missedMailAt),
          isNull(c.firstResponseAt),
        ),
      ),
  );
  if (claimed !== 1) return null;
  const chat = await readOne(db, (o, { conversations: c, visitors: v }) =>
    o
      .select({ visitorId: c.visitorId, startedAt: c.startedAt, visitorName: v.name })
      .from(c)
      .innerJoin(v, eq(v.id, c.visitorId))
      .where(eq(c.id, input.conversationId))
      .limit(1),
  );
  if (!chat) return null;
  const recipients = await read(db, (o, { agents: a }) =>
    o
      .select({ name: a.name, email: a.email, language: a.language })
      .from(a)
      .where(and(eq(a.accountId, input.accountId), eq(a.notifyMissedMail, true), isNull(a.removedAt)))
      .orderBy(asc(a.email)),
  );
  return {
    conversationId: input.conversationId,
    accountId: input.accountId,
    visitorId: chat.visitorId,
    startedAt: chat.startedAt,
    visitorName: chat.visitorName,
    recipients,
  };
}
