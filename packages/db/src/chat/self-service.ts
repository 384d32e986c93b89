import { and, asc, eq, gt, isNull, lte, ne } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, read, readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { type DashboardLanguage, normalizeEmail } from './agents.ts';
import type { Session } from './sessions.ts';

// RET-2: what a person changes about themselves: their profile, sign-in email and password, and the single-use
// links mailed to confirm a new email or reset a forgotten password. Each function takes the agent's id (and, where
// it changes the agent, the account's), so nobody reaches another person's row.

/** An agent's own profile: what visitors see of them, and how they are told of new chats. */
export interface AgentProfile {
  name: string;
  /** What visitors see instead of the name, when set. */
  displayName: string | null;
  /** Shown when no name is shown. */
  initials: string | null;
  notifySound: boolean;
  notifyDesktop: boolean;
  notifyMissedMail: boolean;
  /** The dashboard's language; null until the agent chooses one, while the dashboard follows their browser. */
  language: DashboardLanguage | null;
}

export async function getProfile(db: ParleyDb, agentId: string): Promise<AgentProfile | null> {
  return readOne(db, (o, { agents }) =>
    o
      .select({
        name: agents.name,
        displayName: agents.displayName,
        initials: agents.initials,
        notifySound: agents.notifySound,
        notifyDesktop: agents.notifyDesktop,
        notifyMissedMail: agents.notifyMissedMail,
        language: agents.language,
      })
      .from(agents)
      .where(and(eq(agents.id, agentId), isNull(agents.removedAt))),
  );
}

/** Changes the fields given; returns false if the agent is not an active agent of the account. */
export async function updateProfile(
  db: ParleyDb,
  input: { accountId: string; agentId: string; changes: Partial<AgentProfile> },
): Promise<boolean> {
  if (Object.keys(input.changes).length === 0) return (await getProfile(db, input.agentId)) !== null;
  const changed = await write(db, (o, { agents }) =>
    o
      .update(agents)
      .set(input.changes)
      .where(
        and(eq(agents.id, input.agentId), eq(agents.accountId, input.accountId), isNull(agents.removedAt)),
      ),
  );
  return changed === 1;
}

/** The stored password hash of an active agent, to check the current password before a change. */
export async function getPasswordHash(db: ParleyDb, agentId: string): Promise<string | null> {
  const row = await readOne(db, (o, { agents }) =>
    o
      .select({ hash: agents.passwordHash })
      .from(agents)
      .where(and(eq(agents.id, agentId), isNull(agents.removedAt))),
  );
  return row?.hash ?? null;
}

/**
 * Stores a new password hash. Any password-reset link still open for the agent goes with the old password: a link
 * asked for before the change must not undo it.
 */
export async function setPasswordHash(
  db: ParleyDb,
  input: { agentId: string; passwordHash: string },
): Promise<boolean> {
  return transaction(db, async () => {
    const changed = await write(db, (o, { agents }) =>
      o
        .update(agents)
        .set({ passwordHash: input.passwordHash })
        .where(and(eq(agents.id, input.agentId), isNull(agents.removedAt))),
    );
    await write(db, (o, { personLinks }) =>
      o
        .delete(personLinks)
        .where(and(eq(personLinks.agentId, input.agentId), eq(personLinks.purpose, 'password_reset'))),
    );
    return changed === 1;
  });
}

export type PersonLinkPurpose = 'email_change' | 'password_reset';

/** Whether any agent row, active or removed, other than `exceptAgentId` holds the address (they are unique). */
async function emailHeldByAnother(db: ParleyDb, email: string, exceptAgentId: string): Promise<boolean> {
  const row = await readOne(db, (o, { agents }) =>
    o
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.email, email), ne(agents.id, exceptAgentId))),
  );
  return row !== null;
}

/** Whether the address already belongs to someone else, so a change of email to it can be refused up front. */
export async function emailBelongsToAnother(db: ParleyDb, email: string, agentId: string): Promise<boolean> {
  return emailHeldByAnother(db, normalizeEmail(email), agentId);
}

/**
 * Stores a single-use link's token hash (and, to change an email, the address it confirms). Only the newest link of
 * a purpose works: asking again replaces the one before, so a mailbox full of old links holds one live secret.
 */
export async function createPersonLink(
  db: ParleyDb,
  input: {
    agentId: string;
    purpose: PersonLinkPurpose;
    tokenHash: string;
    newEmail?: string;
    expiresAt: number;
    now?: number;
  },
): Promise<{ id: string }> {
  const id = newId('lnk');
  await transaction(db, async () => {
    await write(db, (o, { personLinks }) =>
      o
        .delete(personLinks)
        .where(and(eq(personLinks.agentId, input.agentId), eq(personLinks.purpose, input.purpose))),
    );
    await write(db, (o, { personLinks }) =>
      o.insert(personLinks).values({
        id,
        agentId: input.agentId,
        purpose: input.purpose,
        tokenHash: input.tokenHash,
        newEmail: input.newEmail === undefined ? null : normalizeEmail(input.newEmail),
        createdAt: input.now ?? Date.now(),
        expiresAt: input.expiresAt,
      }),
    );
  });
  return { id };
}

/** A link that can still be used, with the agent and account it belongs to (both active). */
export interface OpenPersonLink {
  agentId: string;
  accountId: string;
  email: string;
  name: string;
  newEmail: string | null;
  expiresAt: number;
}

/** The open link of this purpose behind a token hash: not used, not expired, its agent active and account open. */
export async function findPersonLink(
  db: ParleyDb,
  input: { tokenHash: string; purpose: PersonLinkPurpose; now?: number },
): Promise<OpenPersonLink | null> {
  const now = input.now ?? Date.now();
  return readOne(db, (o, { personLinks, agents, accounts }) =>
    o
      .select({
        agentId: agents.id,
        accountId: agents.accountId,
        email: agents.email,
        name: agents.name,
        newEmail: personLinks.newEmail,
        expiresAt: personLinks.expiresAt,
      })
      .from(personLinks)
      .innerJoin(agents, eq(agents.id, personLinks.agentId))
      .innerJoin(accounts, eq(accounts.id, agents.accountId))
      .where(
        and(
          eq(personLinks.tokenHash, input.tokenHash),
          eq(personLinks.purpose, input.purpose),
          gt(personLinks.expiresAt, now),
          isNull(agents.removedAt),
          isNull(accounts.closedAt),
        ),
      ),
  );
}

/**
 * Spends a link: its row is deleted by the one request that finds it open, so two uses at once get one success.
 * Returns what the link was for, or null if it was not open.
 */
async function spendPersonLink(
  db: ParleyDb,
  input: { tokenHash: string; purpose: PersonLinkPurpose; now: number },
): Promise<OpenPersonLink | null> {
  const open = await findPersonLink(db, input);
  if (!open) return null;
  const spent = await write(db, (o, { personLinks }) =>
    o.delete(personLinks).where(eq(personLinks.tokenHash, input.tokenHash)),
  );
  return spent === 1 ? open : null;
}

export type ConfirmEmailResult =
  | { ok: true; agentId: string; accountId: string; oldEmail: string; newEmail: string; name: string }
  | { ok: false; reason: 'not_found' | 'email_taken' };

/**
 * Confirms a change of sign-in email: the link is spent and the agent's email becomes the one it confirms, in one
 * transaction. An address someone else took since the link was mailed is refused, and the link is spent all the
 * same (a new one must be asked for).
 */
export async function confirmEmailChange(
  db: ParleyDb,
  input: { tokenHash: string; now?: number },
): Promise<ConfirmEmailResult> {
  const now = input.now ?? Date.now();
  return transaction(db, async (): Promise<ConfirmEmailResult> => {
    await lockFor(db, `person-link:${input.tokenHash}`);
    const link = await spendPersonLink(db, { tokenHash: input.tokenHash, purpose: 'email_change', now });
    if (!link?.newEmail) return { ok: false, reason: 'not_found' };
    const newEmail = link.newEmail;
    // The same lock as an invitation's acceptance, so an address cannot be taken twice at once.
    await lockFor(db, `agent-email:${newEmail}`);
    if (await emailHeldByAnother(db, newEmail, link.agentId)) return { ok: false, reason: 'email_taken' };
    await write(db, (o, { agents }) =>
      o.update(agents).set({ email: newEmail }).where(eq(agents.id, link.agentId)),
    );
    return {
      ok: true,
      agentId: link.agentId,
      accountId: link.accountId,
      oldEmail: link.email,
      newEmail,
      name: link.name,
    };
  });
}

/**
 * Resets a forgotten password: the link is spent and the new hash stored, in one transaction, so a link works once
 * however many tabs submit it.
 */
export async function resetPassword(
  db: ParleyDb,
  input: { tokenHash: string; passwordHash: string; now?: number },
): Promise<{ agentId: string; accountId: string } | null> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    await lockFor(db, `person-link:${input.tokenHash}`);
    const link = await spendPersonLink(db, { tokenHash: input.tokenHash, purpose: 'password_reset', now });
    if (!link) return null;
    await setPasswordHash(db, { agentId: link.agentId, passwordHash: input.passwordHash });
    return { agentId: link.agentId, accountId: link.accountId };
  });
}

/** The address a change of email waits to confirm, if a link for it is still open. */
export async function pendingEmailOf(
  db: ParleyDb,
  agentId: string,
  now = Date.now(),
): Promise<string | null> {
  const row = await readOne(db, (o, { personLinks }) =>
    o
      .select({ newEmail: personLinks.newEmail })
      .from(personLinks)
      .where(
        and(
          eq(personLinks.agentId, agentId),
          eq(personLinks.purpose, 'email_change'),
          gt(personLinks.expiresAt, now),
        ),
      ),
  );
  return row?.newEmail ?? null;
}

/** Expired links hold nothing anyone can use; they are deleted rather than left for the sweep. */
export async function deleteExpiredPersonLinks(db: ParleyDb, now = Date.now()): Promise<number> {
  return write(db, (o, { personLinks }) => o.delete(personLinks).where(lte(personLinks.expiresAt, now)));
}

/** A person's live sign-ins, newest first: what the dashboard lists so that they can end any of them. */
export async function listLiveSessionsOf(
  db: ParleyDb,
  userKind: Session['userKind'],
  userId: string,
  now = Date.now(),
): Promise<Array<Pick<Session, 'id' | 'createdAt' | 'expiresAt'>>> {
  const found = await read(db, (o, { sessions }) =>
    o
      .select({ id: sessions.id, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.userKind, userKind), eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
      .orderBy(asc(sessions.createdAt), asc(sessions.id)),
  );
  return found.reverse();
}
