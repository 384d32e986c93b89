import { and, eq, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { queueMail } from '../notices.ts';
import { removeSecondFactor } from '../second-factor/second-factors.ts';
import { readOne } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { recordStaffAction } from './audit.ts';

/** What a reset of an owner's second factor came to. */
export type OwnerSecondFactorReset = 'reset' | 'not_the_owner' | 'no_second_factor';

/**
 * SEC-1: removes the second factor of an account's owner who lost both their phone and their recovery codes. An
 * admin of the account resets an agent's factor in the dashboard, and only the owner an admin's; the owner has
 * nobody there to ask, so the installation's staff do it here.
 *
 * Staff give the address the person gave them, and it must be the owner's sign-in email: the console never shows
 * it, so it is a check that they speak to the account's holder, not a way to learn who that is. The owner is told
 * at that address, through the outbox in the same transaction, so that a reset they did not ask for does not go
 * unnoticed; the audit log keeps who did it, and for whom, by id.
 */
export async function resetOwnerSecondFactor(
  db: ParleyDb,
  input: {
    accountId: string;
    email: string;
    staffId: string;
    now: number;
    /** The notice's text; the caller words it. */
    mail: (owner: { name: string }) => { subject: string; body: string };
  },
): Promise<OwnerSecondFactorReset> {
  return transaction(db, async () => {
    const owner = await readOne(db, (o, { accounts, agents }) =>
      o
        .select({ id: agents.id, name: agents.name, email: agents.email })
        .from(agents)
        .innerJoin(accounts, eq(accounts.id, agents.accountId))
        .where(
          and(
            eq(agents.accountId, input.accountId),
            eq(agents.role, 'owner'),
            isNull(agents.removedAt),
            isNull(accounts.closedAt),
            eq(sql`lower(${agents.email})`, input.email.trim().toLowerCase()),
          ),
        ),
    );
    if (!owner) return 'not_the_owner';
    if (!(await removeSecondFactor(db, { kind: 'agent', id: owner.id }))) return 'no_second_factor';
    await recordStaffAction(db, {
      staffId: input.staffId,
      action: 'second_factor.owner_reset',
      accountId: input.accountId,
      detail: { agentId: owner.id },
      now: input.now,
    });
    await queueMail(db, {
      kind: 'account_security',
      to: owner.email,
      accountId: input.accountId,
      now: input.now,
      ...input.mail(owner),
    });
    return 'reset';
  });
}
