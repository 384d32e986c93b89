import { and, eq, gt, isNull } from 'drizzle-orm';
import { ormOf, type ParleyDb, sqliteOf } from '../connection.ts';
import { newId } from '../ids.ts';
import { accounts, agentInvitations, agents } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';
import { normalizeEmail } from './agents.ts';

export interface Invitation {
  id: string;
  accountId: string;
  organization: string;
  email: string;
  name: string;
  expiresAt: number;
}

/** COL-2: an invitation keeps only the hash of its one-time token; the link itself is shown once. */
export async function createInvitation(
  db: ParleyDb,
  input: {
    accountId: string;
    email: string;
    name: string;
    tokenHash: string;
    invitedBy: string;
    expiresAt: number;
    now?: number;
  },
): Promise<{ id: string }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const id = newId('inv');
  ormOf(db)
    .insert(agentInvitations)
    .values({
      id,
      accountId: input.accountId,
      email: normalizeEmail(input.email),
      name: input.name,
      tokenHash: input.tokenHash,
      invitedBy: input.invitedBy,
      createdAt: input.now ?? Date.now(),
      expiresAt: input.expiresAt,
    })
    .run();
  return { id };
}

/** An invitation that can still be accepted: not accepted, not expired, its account open. */
export async function findOpenInvitation(
  db: ParleyDb,
  tokenHash: string,
  now = Date.now(),
): Promise<Invitation | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    ormOf(db)
      .select({
        id: agentInvitations.id,
        accountId: agentInvitations.accountId,
        organization: accounts.organization,
        email: agentInvitations.email,
        name: agentInvitations.name,
        expiresAt: agentInvitations.expiresAt,
      })
      .from(agentInvitations)
      .innerJoin(accounts, eq(accounts.id, agentInvitations.accountId))
      .where(
        and(
          eq(agentInvitations.tokenHash, tokenHash),
          isNull(agentInvitations.acceptedAt),
          gt(agentInvitations.expiresAt, now),
          isNull(accounts.closedAt),
        ),
      )
      .get() ?? null
  );
}

export type AcceptInvitationResult =
  | { ok: true; agentId: string; accountId: string }
  | { ok: false; reason: 'not_found' | 'email_taken' };

/**
 * Accepts an invitation in one transaction: the token is spent and the agent exists, or neither. An agent this
 * account removed earlier comes back under the same row (emails are unique); any other holder of the email wins.
 */
export async function acceptInvitation(
  db: ParleyDb,
  input: { tokenHash: string; passwordHash: string; now?: number },
): Promise<AcceptInvitationResult> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  return sqliteOf(db).transaction((): AcceptInvitationResult => {
    const invitation = ormOf(db)
      .select()
      .from(agentInvitations)
      .innerJoin(accounts, eq(accounts.id, agentInvitations.accountId))
      .where(
        and(
          eq(agentInvitations.tokenHash, input.tokenHash),
          isNull(agentInvitations.acceptedAt),
          gt(agentInvitations.expiresAt, now),
          isNull(accounts.closedAt),
        ),
      )
      .get()?.agent_invitations;
    if (!invitation) return { ok: false, reason: 'not_found' };
    const email = normalizeEmail(invitation.email);
    const existing = ormOf(db).select().from(agents).where(eq(agents.email, email)).get();
    let agentId: string;
    if (existing) {
      if (existing.accountId !== invitation.accountId || existing.removedAt === null)
        return { ok: false, reason: 'email_taken' };
      agentId = existing.id;
      ormOf(db)
        .update(agents)
        .set({
          name: invitation.name,
          passwordHash: input.passwordHash,
          role: 'agent',
          online: true,
          removedAt: null,
        })
        .where(eq(agents.id, agentId))
        .run();
    } else {
      agentId = newId('agt');
      ormOf(db)
        .insert(agents)
        .values({
          id: agentId,
          accountId: invitation.accountId,
          email,
          name: invitation.name,
          passwordHash: input.passwordHash,
          role: 'agent',
          online: true,
          createdAt: now,
        })
        .run();
    }
    ormOf(db)
      .update(agentInvitations)
      .set({ acceptedAt: now })
      .where(eq(agentInvitations.id, invitation.id))
      .run();
    return { ok: true, agentId, accountId: invitation.accountId };
  })();
}
