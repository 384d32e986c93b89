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
import { type ParleyDb, sqliteOf } from './connection.ts';
import { newId } from './ids.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

export type MailKind =
  | 'policy_change'
  | 'merger'
  | 'transcript'
  | 'invitation'
  | 'marketing'
  | 'offline_message';

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

export async function queueMail(db: ParleyDb, mail: NewMail): Promise<string> {
  if (blockedByTransaction(db)) await whenFree(db);
  return insertMail(db, mail);
}

/** Adds a mail to the outbox; synchronous, so that it can share a transaction with what caused the mail. */
export function insertMail(db: ParleyDb, mail: NewMail): string {
  const id = newId('out');
  sqliteOf(db)
    .prepare(
      'INSERT INTO notice_outbox (id, kind, account_id, visitor_id, to_email, subject, body, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      id,
      mail.kind,
      mail.accountId ?? null,
      mail.visitorId ?? null,
      mail.to,
      mail.subject,
      mail.body,
      JSON.stringify(mail.headers ?? {}),
      mail.now ?? Date.now(),
    );
  return id;
}

/**
 * Attempts after which a mail is given up as undeliverable. From then on its retention runs as a sent mail's does,
 * from when it was queued (see `notice_outbox` in the classification), so that no mail is kept for ever.
 */
export const MAIL_MAX_ATTEMPTS = 10;

/** Mail not yet sent, oldest first; mail that failed often waits longer between attempts. */
export async function pendingMail(db: ParleyDb, limit = 50): Promise<OutgoingMail[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  const rows = sqliteOf(db)
    .prepare(
      'SELECT id, kind, to_email, subject, body, headers, attempts FROM notice_outbox WHERE sent_at IS NULL AND attempts < ? ORDER BY created_at LIMIT ?',
    )
    .all(MAIL_MAX_ATTEMPTS, limit) as Array<{
    id: string;
    kind: MailKind;
    to_email: string;
    subject: string;
    body: string;
    headers: string;
    attempts: number;
  }>;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    to: r.to_email,
    subject: r.subject,
    body: r.body,
    headers: JSON.parse(r.headers) as Record<string, string>,
    attempts: r.attempts,
  }));
}

/** False if the mail's row is gone (erased while it was being sent): its copy, if any, must go too. */
export async function markMailSent(db: ParleyDb, id: string, now = Date.now()): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        'UPDATE notice_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?',
      )
      .run(now, id).changes === 1
  );
}

/** Anything that looks like an email address, as a mail server's refusal often quotes the recipient. */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/**
 * Counts a failed attempt and keeps why it failed, without any address in it: the reason is kept for the operator,
 * as a plain field, and must not become a copy of the recipient's address.
 */
export async function markMailFailed(db: ParleyDb, id: string, error: string): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  sqliteOf(db)
    .prepare('UPDATE notice_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?')
    .run(error.replace(ADDRESS, '<address>').slice(0, 500), id);
}

/** Open accounts and the address that hears from us: the contact email, else the owner's sign-in email. */
function accountHolders(db: ParleyDb): Array<{ accountId: string; email: string; organization: string }> {
  return sqliteOf(db)
    .prepare(
      `SELECT a.id AS "accountId", coalesce(a.contact_email, (SELECT g.email FROM agents g WHERE g.account_id = a.id AND g.role = 'owner' AND g.removed_at IS NULL LIMIT 1)) AS email,
              a.organization AS organization
       FROM accounts a WHERE a.closed_at IS NULL`,
    )
    .all()
    .filter(
      (r): r is { accountId: string; email: string; organization: string } =>
        typeof (r as { email: unknown }).email === 'string',
    );
}

export interface PublishResult {
  published: Array<{ version: string; significant: boolean; inForceFrom: string }>;
  noticesQueued: number;
  /** The model with the date each version came, or comes, into force at this installation. */
  model: PolicyModel;
}

interface RunRow {
  version: string;
  first_run_at: number;
  notice_queued_at: number | null;
  in_force_at: number;
}

const day = (ms: number): string => dayOf(new Date(ms).toISOString());

/**
 * CHG-1: records every version of the model not yet run here, and when each comes into force here. Significance is
 * derived from the diff with the version before; a significant change queues a notice to every account holder, its
 * summary written from the diff, and applies only once the policy's notice period has passed since (`inForceAt`):
 * until then the version before it stays in force. The first start of an installation publishes the history
 * without notices and puts the latest version in force at once: nobody had agreed to an older version.
 */
export async function publishPolicyVersions(
  db: ParleyDb,
  model: PolicyModel,
  options: { policyUrl?: string; now?: number } = {},
): Promise<PublishResult> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = options.now ?? Date.now();
  const known = new Set(
    (sqliteOf(db).prepare('SELECT version FROM policy_versions').all() as Array<{ version: string }>).map(
      (r) => r.version,
    ),
  );
  const runs = new Map(
    (sqliteOf(db).prepare('SELECT * FROM policy_version_runs').all() as RunRow[]).map((r) => [r.version, r]),
  );
  const firstPublication = known.size === 0;
  const result: Omit<PublishResult, 'model'> = { published: [], noticesQueued: 0 };
  const insert = sqliteOf(db).prepare(
    `INSERT INTO policy_versions (version, date, summary, content_json, significant, published_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (version) DO NOTHING`,
  );
  const insertRun = sqliteOf(db).prepare(
    'INSERT INTO policy_version_runs (version, first_run_at, notice_queued_at, in_force_at) VALUES (?, ?, ?, ?)',
  );
  const inForce = new Map<string, number>();
  let before: { content: PolicyContent; inForceAt: number } | undefined;
  for (const [index, version] of model.versions.entries()) {
    const recorded = runs.get(version.version);
    if (recorded) {
      inForce.set(version.version, recorded.in_force_at);
      before = { content: version.content, inForceAt: recorded.in_force_at };
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
    insert.run(
      version.version,
      version.date,
      version.summary,
      JSON.stringify(version.content),
      significant ? 1 : 0,
      now,
    );
    insertRun.run(version.version, now, noticeQueuedAt, at);
    inForce.set(version.version, at);
    before = { content: version.content, inForceAt: at };
    result.published.push({ version: version.version, significant, inForceFrom: new Date(at).toISOString() });
    if (noticeQueuedAt === null) continue;
    const body = [
      `Parley's privacy policy changes with version ${version.version} (${version.date}).`,
      `The changes apply from ${day(at)}; until then, the version in force now still applies.`,
      '',
      'What changes:',
      summariseChanges(changes),
      '',
      options.policyUrl ? `Read the policy and compare it with the version before: ${options.policyUrl}` : '',
    ].join('\n');
    for (const holder of accountHolders(db)) {
      await queueMail(db, {
        kind: 'policy_change',
        to: holder.email,
        accountId: holder.accountId,
        subject: `Our privacy policy changes on ${day(at)}: version ${version.version}`,
        body,
        now,
      });
      result.noticesQueued++;
    }
  }
  return { ...result, model: withInForceDates(model, inForce) };
}

/**
 * CHG-1: the model dated with what this installation recorded when it ran each version, without publishing
 * anything: for a process that reads the chat server's database, such as the admin console running on its own.
 */
export async function policyAsRunHere(db: ParleyDb, model: PolicyModel): Promise<PolicyModel> {
  if (blockedByTransaction(db)) await whenFree(db);
  const runs = sqliteOf(db).prepare('SELECT version, in_force_at FROM policy_version_runs').all() as Array<
    Pick<RunRow, 'version' | 'in_force_at'>
  >;
  return withInForceDates(model, new Map(runs.map((r) => [r.version, r.in_force_at])));
}

export async function publishedPolicyVersions(
  db: ParleyDb,
): Promise<
  Array<{ version: string; date: string; summary: string; significant: boolean; content: PolicyContent }>
> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db).prepare('SELECT * FROM policy_versions ORDER BY published_at, date').all() as Array<
      Record<string, unknown>
    >
  ).map((r) => ({
    version: r.version as string,
    date: r.date as string,
    summary: r.summary as string,
    significant: r.significant === 1,
    content: JSON.parse(r.content_json as string) as PolicyContent,
  }));
}

/**
 * SHR-2: before data moves under another company's policy, every account holder is told who takes over and when.
 */
export async function queueMergerNotice(
  db: ParleyDb,
  input: { acquirer: string; transferDate: string; policyUrl?: string; staffId?: string; now?: number },
): Promise<number> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.transferDate) || Date.parse(input.transferDate) <= now) {
    throw new Error(
      'The transfer date must be a future date (YYYY-MM-DD): people are told before their data moves',
    );
  }
  let queued = 0;
  for (const holder of accountHolders(db)) {
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
  sqliteOf(db)
    .prepare(
      'INSERT INTO audit_log (actor_kind, actor_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      input.staffId ? 'staff' : 'system',
      input.staffId ?? null,
      'notice.merger',
      JSON.stringify({ acquirer: input.acquirer, transferDate: input.transferDate, queued }),
      now,
    );
  return queued;
}
