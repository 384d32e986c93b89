import { and, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { writeAudit } from './audit.ts';

export interface SpamInput {
  accountId: string;
  conversationId: string;
  /** The agent who reports the conversation, or who clears the flag. */
  agentId: string;
  now: number;
}

/**
 * SEC-1: an agent reports one of the account's conversations as spam. It is flagged with the time and the reporter
 * and closed if still open, so it leaves the inbox, the history's default list and the statistics; the report is
 * audited with ids only. Returns null when the account has no such conversation or it is already reported, else
 * whether this report closed it.
 */
export async function reportSpam(db: ParleyDb, input: SpamInput): Promise<{ closed: boolean } | null> {
  return transaction(db, async () => {
    const flagged = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set({ spamAt: input.now, spamReportedBy: input.agentId })
        .where(and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId), isNull(c.spamAt))),
    );
    if (flagged !== 1) return null;
    const closed = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set({ status: 'closed', closedAt: input.now })
        .where(and(eq(c.id, input.conversationId), ne(c.status, 'closed'))),
    );
    await writeAudit(db, {
      actorKind: 'agent',
      actorId: input.agentId,
      accountId: input.accountId,
      action: 'conversation.spam_reported',
      detail: { conversationId: input.conversationId, closed: closed === 1 },
      now: input.now,
    });
    return { closed: closed === 1 };
  });
}

/**
 * Clears a spam flag set by mistake: the conversation returns to the history and the statistics (it stays closed).
 * Audited with ids only. Returns false when the account has no such conversation reported as spam.
 */
export async function clearSpam(db: ParleyDb, input: SpamInput): Promise<boolean> {
  return transaction(db, async () => {
    const cleared = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set({ spamAt: null, spamReportedBy: null })
        .where(and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId), isNotNull(c.spamAt))),
    );
    if (cleared !== 1) return false;
    await writeAudit(db, {
      actorKind: 'agent',
      actorId: input.agentId,
      accountId: input.accountId,
      action: 'conversation.spam_cleared',
      detail: { conversationId: input.conversationId },
      now: input.now,
    });
    return true;
  });
}
