import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
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
  const id = newId('inv');
  await write(db, (o, { agentInvitations }) =>
    o.insert(agentInvitations).values({
      id,
      accountId: input.accountId,
      email: normalizeEmail(input.email),
      name: input.name,
      tokenHash: input.tokenHash,
      invitedBy: input.invitedBy,
      createdAt: input.now ?? Date.now(),
      expiresAt: input.expiresAt,
    }),
  );
  return { id };
}

/** The token's invitation, over `agentInvitations` joined to `accounts`, if it can still be accepted. */
const isOpen = ({ agentInvitations, accounts }: Tables, tokenHash: string, now: number) =>
  and(
    eq(agentInvitations.tokenHash, tokenHash),
    isNull(agentInvitations.acceptedAt),
    gt(agentInvitations.expiresAt, now),
    isNull(accounts.closedAt),
  );

/** An invitation that can still be accepted: not accepted, not expired, its account open. */
export async function findOpenInvitation(
  db: ParleyDb,
  tokenHash: string,
  now = Date.now(),
): Promise<Invitation | null> {
  return readOne(db, (o, t) =>
    o
      .select({
        id: t.agentInvitations.id,
        accountId: t.agentInvitations.accountId,
        organization: t.accounts.organization,
        email: t.agentInvitations.email,
        name: t.agentInvitations.name,
        expiresAt: t.agentInvitations.expiresAt,
      })
      .from(t.agentInvitations)
      .innerJoin(t.accounts, eq(t.accounts.id, t.agentInvitations.accountId))
      .where(isOpen(t, tokenHash, now)),
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
  const now = input.now ?? Date.now();
  return transaction(db, async (): Promise<AcceptInvitationResult> => {
    // The same link accepted twice at once: the second waits, then finds the token spent.
    await lockFor(db, `invitation:${input.tokenHash}`);
    const invitation = await readOne(db, (o, t) =>
      o
        .select({
          id: t.agentInvitations.id,
          accountId: t.agentInvitations.accountId,
          email: t.agentInvitations.email,
          name: t.agentInvitations.name,
        })
        .from(t.agentInvitations)
        .innerJoin(t.accounts, eq(t.accounts.id, t.agentInvitations.accountId))
        .where(isOpen(t, input.tokenHash, now)),
    );
    if (!invitation) return { ok: false, reason: 'not_found' };
    const email = normalizeEmail(invitation.email);
    // Two invitations to one address accepted at once: the second waits, then finds the address taken. Tokens are
    // always locked before addresses, so two acceptances never wait on each other in a circle.
    await lockFor(db, `agent-email:${email}`);
    const existing = await readOne(db, (o, { agents }) =>
      o
        .select({ id: agents.id, accountId: agents.accountId, removedAt: agents.removedAt })
        .from(agents)
        .where(eq(agents.email, email)),
    );
    if (existing && (existing.accountId !== invitation.accountId || existing.removedAt === null))
      return { ok: false, reason: 'email_taken' };
    const agentId = existing?.id ?? newId('agt');
    const agent = {
      name: invitation.name,
      passwordHash: input.passwordHash,
      role: 'agent',
      online: true,
    } as const;
    if (existing)
      await write(db, (o, { agents }) =>
        o
          .update(agents)
          .set({ ...agent, removedAt: null })
          .where(eq(agents.id, agentId)),
      );
    else
      await write(db, (o, { agents }) =>
        o
          .insert(agents)
          .values({ ...agent, id: agentId, accountId: invitation.accountId, email, createdAt: now }),
      );
    await write(db, (o, { agentInvitations }) =>
      o.update(agentInvitations).set({ acceptedAt: now }).where(eq(agentInvitations.id, invitation.id)),
    );
    return { ok: true, agentId, accountId: invitation.accountId };
  });
}
