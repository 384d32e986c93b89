import type { Language } from '@parley/policy';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { createAccountWithOwner } from '../chat/accounts.ts';
import { findAgentByEmail, normalizeEmail } from '../chat/agents.ts';
import type { ParleyDb } from '../connection.ts';
import { recordConsent } from '../consent.ts';
import { newId } from '../ids.ts';
import { lockFor, readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** COL-1: what a business gives when it signs up, the password already hashed. */
export interface SignupDetails {
  organization: string;
  ownerName: string;
  email: string;
  passwordHash: string;
  phone: string | null;
  imHandle: string | null;
}

/** A sign-up waiting for its email to be confirmed, as sign-in and resending see it. */
export interface PendingSignup {
  id: string;
  email: string;
  ownerName: string;
  organization: string;
  passwordHash: string;
  mailsSent: number;
  lastMailedAt: number;
  expiresAt: number;
  /** The language the sign-up page was in: its confirmation mails are written in it. */
  language: Language;
}

/**
 * Keeps a sign-up until its email is confirmed: only the link's hash, with the policy version, the hash of the
 * text the person was shown and the language it was shown in. A new sign-up with the same address replaces an unconfirmed one (and its link), so an
 * address never holds two; the confirmation mail only ever reaches the address's owner.
 */
export async function savePendingSignup(
  db: ParleyDb,
  input: SignupDetails & {
    tokenHash: string;
    policyVersion: string;
    textHash: string;
    /** The language the sign-up text was shown in, whose hash `textHash` is. */
    language: Language;
    expiresAt: number;
    now: number;
  },
): Promise<{ id: string }> {
  const id = newId('sgn');
  const email = normalizeEmail(input.email);
  await transaction(db, async () => {
    await lockFor(db, `signup:${email}`);
    await write(db, (o, { pendingSignups }) =>
      o.delete(pendingSignups).where(eq(pendingSignups.email, email)),
    );
    await write(db, (o, { pendingSignups }) =>
      o.insert(pendingSignups).values({
        id,
        organization: input.organization,
        ownerName: input.ownerName,
        email,
        passwordHash: input.passwordHash,
        phone: input.phone,
        imHandle: input.imHandle,
        tokenHash: input.tokenHash,
        policyVersion: input.policyVersion,
        textHash: input.textHash,
        language: input.language,
        mailsSent: 1,
        lastMailedAt: input.now,
        createdAt: input.now,
        expiresAt: input.expiresAt,
      }),
    );
  });
  return { id };
}

/** The unconfirmed sign-up of this address whose link has not expired. */
export async function findPendingSignup(
  db: ParleyDb,
  email: string,
  now = Date.now(),
): Promise<PendingSignup | null> {
  return readOne(db, (o, { pendingSignups: p }) =>
    o
      .select({
        id: p.id,
        email: p.email,
        ownerName: p.ownerName,
        organization: p.organization,
        passwordHash: p.passwordHash,
        mailsSent: p.mailsSent,
        lastMailedAt: p.lastMailedAt,
        expiresAt: p.expiresAt,
        language: p.language,
      })
      .from(p)
      .where(and(eq(p.email, normalizeEmail(email)), gt(p.expiresAt, now))),
  );
}

/** How often a confirmation mail may be sent again: a few times in all, and not more often than every so long. */
export interface ResendLimit {
  maxMails: number;
  minGapMs: number;
}

/**
 * Replaces a pending sign-up's link with a new one, for a mail sent again, if the limit allows it. The check and the
 * change are one statement, so two nodes asked at once cannot both send. The link's expiry stays where it was: the
 * sign-up is still deleted when its first link would have expired.
 */
export async function renewSignupLink(
  db: ParleyDb,
  input: { id: string; tokenHash: string; limit: ResendLimit; now: number },
): Promise<boolean> {
  const changed = await write(db, (o, { pendingSignups: p }) =>
    o
      .update(p)
      .set({ tokenHash: input.tokenHash, mailsSent: sql`${p.mailsSent} + 1`, lastMailedAt: input.now })
      .where(
        and(
          eq(p.id, input.id),
          gt(p.expiresAt, input.now),
          sql`${p.mailsSent} < ${input.limit.maxMails}`,
          lte(p.lastMailedAt, input.now - input.limit.minGapMs),
        ),
      ),
  );
  return changed === 1;
}

export type ConfirmSignupResult =
  | { ok: true; accountId: string; agentId: string; email: string }
  | { ok: false; reason: 'not_found' | 'email_taken' };

/**
 * COL-1, COL-4: confirms a sign-up by its link. The account is created in the installation's region with the owner
 * the sign-up named, its consent record keeps the policy version and the hash of the text shown at sign-up, and the
 * pending sign-up is gone: the link works once. An address that meanwhile got a sign-in elsewhere is refused.
 */
export async function confirmSignup(
  db: ParleyDb,
  input: { tokenHash: string; region: string; now?: number },
): Promise<ConfirmSignupResult> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    await lockFor(db, `signup-token:${input.tokenHash}`);
    const pending = await readOne(db, (o, { pendingSignups: p }) =>
      o
        .select()
        .from(p)
        .where(and(eq(p.tokenHash, input.tokenHash), gt(p.expiresAt, now))),
    );
    if (!pending) return { ok: false, reason: 'not_found' } as const;
    if (await findAgentByEmail(db, pending.email)) return { ok: false, reason: 'email_taken' } as const;
    const { accountId, agentId } = await createAccountWithOwner(db, {
      organization: pending.organization,
      region: input.region,
      owner: { email: pending.email, name: pending.ownerName, passwordHash: pending.passwordHash },
      contact: { phone: pending.phone, imHandle: pending.imHandle },
      now,
    });
    await recordConsent(db, {
      accountId,
      agentId,
      scope: 'signup',
      choice: 'consent',
      policyVersion: pending.policyVersion,
      textHash: pending.textHash,
      language: pending.language,
      now: pending.createdAt,
    });
    await write(db, (o, { pendingSignups: p }) => o.delete(p).where(eq(p.id, pending.id)));
    return { ok: true, accountId, agentId, email: pending.email } as const;
  });
}
