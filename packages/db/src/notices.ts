import {
  dayOf,
  diffPolicies,
  inForceAt,
  isSignificant,
  type PolicyContent,
  type PolicyModel,
  summariseChanges,
  withInForceDates,
} from '@parley/policy';
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { newId } from './ids.ts';
import { lockFor, read, rows, type Tables, write } from './statements.ts';
import { transaction } from './transaction.ts';

export type MailKind =
  | 'policy_change'
  | 'merger'
  | 'transcript'
  | 'invitation'
  | 'marketing'
  | 'offline_message'
  | 'missed_chat'
  | 'offline_reply'
  | 'account_security'
  | 'signup_confirmation'
  | 'support';

export interface OutgoingMail {
  id: string;
  kind: MailKind;
  to: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
  attempts: number;
}

export interface NewMail {
  kind: MailKind;
  to: string;
  subject: string;
  body: string;
  headers?: Record<string, string>;
  accountId?: string | null;
  visitorId?: string | null;
  now?: number;
}

/**
 * Adds a mail to the outbox. Inside `transaction(db, …)` it is queued with what caused it: sent only if that is
 * stored, and never for something that was rolled back.
 */
export async function queueMail(db: ParleyDb, mail: NewMail): Promise<string> {
  const id = newId('out');
  await write(db, (o, { noticeOutbox }) =>
    o.insert(noticeOutbox).values({
      id,
      kind: mail.kind,
      accountId: mail.accountId ?? null,
      visitorId: mail.visitorId ?? null,
      toEmail: mail.to,
      subject: mail.subject,
      body: mail.body,
      headers: mail.headers ?? {},
      createdAt: mail.now ?? Date.now(),
    }),
  );
  return id;
}

/**
 * Attempts after which a mail is given up as undeliverable. From then on its retention runs as a sent mail's does,
 * from when it was queued (see `notice_outbox` in the classification), so that no mail is kept for ever.
 */
export const MAIL_MAX_ATTEMPTS = 10;

const mailColumns = ({ noticeOutbox }: Tables) => ({
  id: noticeOutbox.id,
  kind: noticeOutbox.kind,
  to: noticeOutbox.toEmail,
  subject: noticeOutbox.subject,
  body: noticeOutbox.body,
  headers: noticeOutbox.headers,
  attempts: noticeOutbox.attempts,
});

/**
 * Mail not yet sent nor given up, oldest first, whether or not a mailer has taken it: what the outbox still holds.
 * A mailer takes what it sends with `claimMail` instead, so that no other sends it too.
 */
export async function pendingMail(db: ParleyDb, limit = 50): Promise<OutgoingMail[]> {
  return read(db, (o, t) =>
    o
      .select(mailColumns(t))
      .from(t.noticeOutbox)
      .where(and(isNull(t.noticeOutbox.sentAt), lt(t.noticeOutbox.attempts, MAIL_MAX_ATTEMPTS)))
      .orderBy(asc(t.noticeOutbox.createdAt), asc(t.noticeOutbox.id))
      .limit(limit),
  );
}

/**
 * How much mail the outbox holds: pending (not sent yet, to be sent or retried) and failed (given up after
 * MAIL_MAX_ATTEMPTS). Counts only, for the operator's metrics.
 */
export async function mailOutboxCounts(db: ParleyDb): Promise<{ pending: number; failed: number }> {
  const [counts] = await rows<{ pending: number | string | null; failed: number | string | null }>(
    db,
    sql`SELECT sum(CASE WHEN attempts < ${MAIL_MAX_ATTEMPTS} THEN 1 ELSE 0 END) AS pending,
               sum(CASE WHEN attempts >= ${MAIL_MAX_ATTEMPTS} THEN 1 ELSE 0 END) AS failed
        FROM notice_outbox WHERE sent_at IS NULL`,
  );
  // PostgreSQL sums into a bigint, which its driver hands over as text; an empty outbox sums to null.
  return { pending: Number(counts?.pending ?? 0), failed: Number(counts?.failed ?? 0) };
}

/** A row `claimMail` took, as the engine returns it: the headers as JSON text. */
interface ClaimedRow extends Omit<OutgoingMail, 'headers'> {
  headers: string;
  createdAt: number;
}

/**
 * Takes up to `limit` mails to send, oldest first, for `leaseMs`: until the lease ends no other mailer takes them,
 * in this process or on another node sharing the database. Mail that is sent or given up is not taken again; mail
 * whose mailer stopped before it could say how sending went (a crash, a lost node) is taken again once its lease
 * has ended. One statement, so two mailers asking at once take different mails: PostgreSQL skips the rows another
 * is taking instead of waiting for them, and SQLite runs one write at a time.
 */
export async function claimMail(
  db: ParleyDb,
  input: { limit: number; leaseMs: number; now?: number },
): Promise<OutgoingMail[]> {
  const now = input.now ?? Date.now();
  const skipTaken = db.dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const claimed = await rows<ClaimedRow>(
    db,
    sql`UPDATE notice_outbox SET claimed_until = ${now + input.leaseMs}
        WHERE id IN (
          SELECT id FROM notice_outbox
          WHERE sent_at IS NULL AND attempts < ${MAIL_MAX_ATTEMPTS}
            AND (claimed_until IS NULL OR claimed_until <= ${now})
          ORDER BY created_at, id LIMIT ${input.limit} ${skipTaken})
        RETURNING id, kind, to_email AS "to", subject, body, headers, attempts, created_at AS "createdAt"`,
  );
  // RETURNING lists rows in no promised order.
  return claimed
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .map(({ createdAt: _queued, headers, ...mail }) => ({
      ...mail,
      headers: JSON.parse(headers) as Record<string, string>,
    }));
}

/** False if the mail's row is gone (erased while it was being sent): its copy, if any, must go too. */
export async function markMailSent(db: ParleyDb, id: string, now = Date.now()): Promise<boolean> {
  const changed = await write(db, (o, { noticeOutbox }) =>
    o
      .update(noticeOutbox)
      .set({ sentAt: now, attempts: sql`${noticeOutbox.attempts} + 1`, lastError: null, claimedUntil: null })
      .where(eq(noticeOutbox.id, id)),
  );
  return changed === 1;
}

/** Anything that looks like an email address, as a mail server's refusal often quotes the recipient. */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/**
 * Counts a failed attempt and keeps why it failed, without any address in it: the reason is kept for the operator,
 * as a plain field, and must not become a copy of the recipient's address. The mail is free to be taken again by
 * the next run of any mailer.
 */
export async function markMailFailed(db: ParleyDb, id: string, error: string): Promise<void> {
  await write(db, (o, { noticeOutbox }) =>
    o
      .update(noticeOutbox)
      .set({
        attempts: sql`${noticeOutbox.attempts} + 1`,
        lastError: error.replace(ADDRESS, '<address>').slice(0, 500),
        claimedUntil: null,
      })
      .where(eq(noticeOutbox.id, id)),
  );
}

interface AccountHolder {
  accountId: string;
  email: string;
  organization: string;
}

/** Open accounts and the address that hears from us: the contact email, else the owner's sign-in email. */
async function accountHolders(db: ParleyDb): Promise<AccountHolder[]> {
  const found = await rows<{ accountId: string; email: string | null; organization: string }>(
    db,
    sql`SELECT a.id AS "accountId", a.organization AS organization,
               coalesce(a.contact_email, (SELECT g.email FROM agents g WHERE g.account_id = a.id AND g.role = 'owner' AND g.removed_at IS NULL LIMIT 1)) AS email
        FROM accounts a WHERE a.closed_at IS NULL ORDER BY a.id`,
  );
  return found.filter((holder): holder is AccountHolder => holder.email !== null);
}

export interface PublishResult {
  published: Array<{ version: string; significant: boolean; inForceFrom: string }>;
  noticesQueued: number;
  /** The model with the date each version came, or comes, into force at this installation. */
  model: PolicyModel;
}

const day = (ms: number): string => dayOf(new Date(ms).toISOString());

/** The notice of a significant change, to every account holder. */
function policyNotice(
  version: PolicyModel['versions'][number],
  changes: ReturnType<typeof diffPolicies>,
  appliesAt: number,
  policyUrl: string | undefined,
): Pick<NewMail, 'subject' | 'body'> {
  return {
    subject: `Our privacy policy changes on ${day(appliesAt)}: version ${version.version}`,
    body: [
      `Parley's privacy policy changes with version ${version.version} (${version.date}).`,
      `The changes apply from ${day(appliesAt)}; until then, the version in force now still applies.`,
      '',
      'What changes:',
      summariseChanges(changes),
      '',
      policyUrl ? `Read the policy and compare it with the version before: ${policyUrl}` : '',
    ].join('\n'),
  };
}

/**
 * CHG-1: records every version of the model not yet run here, and when each comes into force here. Significance is
 * derived from the diff with the version before; a significant change queues a notice to every account holder, its
 * summary written from the diff, and applies only once the policy's notice period has passed since (`inForceAt`):
 * until then the version before it stays in force. The first start of an installation publishes the history
 * without notices and puts the latest version in force at once: nobody had agreed to an older version.
 *
 * Versions and their notices are recorded in one transaction. Nodes that start at once publish one after the
 * other: the later finds every version recorded, queues nothing, and returns the same dates.
 */
export async function publishPolicyVersions(
  db: ParleyDb,
  model: PolicyModel,
  options: { policyUrl?: string; now?: number } = {},
): Promise<PublishResult> {
  const now = options.now ?? Date.now();
  return transaction(db, async () => {
    await lockFor(db, 'notices');
    const known = await read(db, (o, { policyVersions }) =>
      o.select({ version: policyVersions.version }).from(policyVersions),
    );
    const runs = new Map(
      (await read(db, (o, { policyVersionRuns }) => o.select().from(policyVersionRuns))).map((r) => [
        r.version,
        r,
      ]),
    );
    const firstPublication = known.length === 0;
    const result: Omit<PublishResult, 'model'> = { published: [], noticesQueued: 0 };
    const inForce = new Map<string, number>();
    let holders: AccountHolder[] | undefined;
    let before: { content: PolicyContent; inForceAt: number } | undefined;
    for (const [index, version] of model.versions.entries()) {
      const recorded = runs.get(version.version);
      if (recorded) {
        inForce.set(version.version, recorded.inForceAt);
        before = { content: version.content, inForceAt: recorded.inForceAt };
        continue;
      }
      const previous = model.versions[index - 1];
      const changes = previous ? diffPolicies(previous.content, version.content) : [];
      const significant = previous !== undefined && isSignificant(changes);
      const noticeQueuedAt = significant && !firstPublication ? now : null;
      const at = inForceAt(
        { version: version.version, firstRunAt: now, noticeQueuedAt },
        version.content,
        before,
      );
      await write(db, (o, { policyVersions }) =>
        o
          .insert(policyVersions)
          .values({
            version: version.version,
            date: version.date,
            summary: version.summary,
            contentJson: JSON.stringify(version.content),
            significant,
            publishedAt: now,
          })
          .onConflictDoNothing(),
      );
      await write(db, (o, { policyVersionRuns }) =>
        o
          .insert(policyVersionRuns)
          .values({ version: version.version, firstRunAt: now, noticeQueuedAt, inForceAt: at }),
      );
      inForce.set(version.version, at);
      before = { content: version.content, inForceAt: at };
      result.published.push({
        version: version.version,
        significant,
        inForceFrom: new Date(at).toISOString(),
      });
      if (noticeQueuedAt === null) continue;
      const notice = policyNotice(version, changes, at, options.policyUrl);
      holders ??= await accountHolders(db);
      for (const holder of holders) {
        await queueMail(db, {
          kind: 'policy_change',
          to: holder.email,
          accountId: holder.accountId,
          ...notice,
          now,
        });
        result.noticesQueued++;
      }
    }
    return { ...result, model: withInForceDates(model, inForce) };
  });
}

/**
 * CHG-1: the model dated with what this installation recorded when it ran each version, without publishing
 * anything: for a process that reads the chat server's database, such as the admin console running on its own.
 */
export async function policyAsRunHere(db: ParleyDb, model: PolicyModel): Promise<PolicyModel> {
  const runs = await read(db, (o, { policyVersionRuns }) =>
    o
      .select({ version: policyVersionRuns.version, inForceAt: policyVersionRuns.inForceAt })
      .from(policyVersionRuns),
  );
  return withInForceDates(model, new Map(runs.map((r) => [r.version, r.inForceAt])));
}

export async function publishedPolicyVersions(
  db: ParleyDb,
): Promise<
  Array<{ version: string; date: string; summary: string; significant: boolean; content: PolicyContent }>
> {
  const found = await read(db, (o, { policyVersions }) =>
    o.select().from(policyVersions).orderBy(asc(policyVersions.publishedAt), asc(policyVersions.date)),
  );
  return found.map((r) => ({
    version: r.version,
    date: r.date,
    summary: r.summary,
    significant: r.significant,
    content: JSON.parse(r.contentJson) as PolicyContent,
  }));
}

/**
 * SHR-2: before data moves under another company's policy, every account holder is told who takes over and when.
 * The notices and the audit entry that records them are stored together, or not at all.
 */
export async function queueMergerNotice(
  db: ParleyDb,
  input: { acquirer: string; transferDate: string; policyUrl?: string; staffId?: string; now?: number },
): Promise<number> {
  const now = input.now ?? Date.now();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.transferDate) || Date.parse(input.transferDate) <= now) {
    throw new Error(
      'The transfer date must be a future date (YYYY-MM-DD): people are told before their data moves',
    );
  }
  return transaction(db, async () => {
    let queued = 0;
    for (const holder of await accountHolders(db)) {
      await queueMail(db, {
        kind: 'merger',
        to: holder.email,
        accountId: holder.accountId,
        subject: `Parley is joining ${input.acquirer}`,
        body: [
          `Parley is to be transferred to ${input.acquirer} on ${input.transferDate}.`,
          `Until then, nothing changes for ${holder.organization}. From that date, your account's data will be held by ${input.acquirer}.`,
          'If you would rather close your account and have its data erased before the transfer, you can do so in the dashboard under Account.',
          input.policyUrl ? `The policy that applies until then: ${input.policyUrl}` : '',
        ].join('\n\n'),
        now,
      });
      queued++;
    }
    await write(db, (o, { auditLog }) =>
      o.insert(auditLog).values({
        actorKind: input.staffId ? 'staff' : 'system',
        actorId: input.staffId ?? null,
        action: 'notice.merger',
        detail: { acquirer: input.acquirer, transferDate: input.transferDate, queued },
        createdAt: now,
      }),
    );
    return queued;
  });
}
