import { and, eq, isNull } from 'drizzle-orm';
import { deleteAgentSessionsOf } from '../account-data.ts';
import type { ParleyDb } from '../connection.ts';
import { readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { recordStaffAction } from './audit.ts';

export interface Suspension {
  reason: string;
  suspendedAt: number;
}

/**
 * Suspends an open account: its agents' sign-ins are deleted at once (the caller closes their sockets on every node)
 * and none can start while the row exists. False when the account is closed, unknown or already suspended, so a
 * second click changes nothing and records nothing.
 */
export async function suspendAccount(
  db: ParleyDb,
  input: { accountId: string; reason: string; staffId: string; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    const open = await readOne(db, (o, { accounts }) =>
      o
        .select({ id: accounts.id })
        .from(accounts)
        .where(and(eq(accounts.id, input.accountId), isNull(accounts.closedAt))),
    );
    if (!open) return false;
    const added = await write(db, (o, { accountSuspensions }) =>
      o
        .insert(accountSuspensions)
        .values({ accountId: input.accountId, reason: input.reason, suspendedAt: input.now })
        .onConflictDoNothing({ target: accountSuspensions.accountId }),
    );
    if (added !== 1) return false;
    await deleteAgentSessionsOf(db, input.accountId);
    await recordStaffAction(db, { ...input, action: 'account.suspended' });
    return true;
  });
}

/** Lifts a suspension; false when the account was not suspended. */
export async function reinstateAccount(
  db: ParleyDb,
  input: { accountId: string; staffId: string; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    const removed = await write(db, (o, { accountSuspensions }) =>
      o.delete(accountSuspensions).where(eq(accountSuspensions.accountId, input.accountId)),
    );
    if (removed !== 1) return false;
    await recordStaffAction(db, { ...input, action: 'account.reinstated' });
    return true;
  });
}

/** The account's suspension, or null while it may be used. */
export async function accountSuspension(db: ParleyDb, accountId: string): Promise<Suspension | null> {
  return readOne(db, (o, { accountSuspensions }) =>
    o
      .select({ reason: accountSuspensions.reason, suspendedAt: accountSuspensions.suspendedAt })
      .from(accountSuspensions)
      .where(eq(accountSuspensions.accountId, accountId)),
  );
}
