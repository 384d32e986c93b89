import { type ParleyDb, sqliteOf } from './connection.ts';
import { queueMail } from './notices.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

export type MarketingSource = 'signup' | 'dashboard' | 'unsubscribe_link' | 'admin';

export async function setMarketingPreference(
  db: ParleyDb,
  input: { accountId: string; optedIn: boolean; source: MarketingSource; now?: number },
): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  sqliteOf(db)
    .prepare(
      `INSERT INTO marketing_preferences (account_id, opted_in, source, changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(account_id) DO UPDATE SET opted_in = excluded.opted_in, source = excluded.source, changed_at = excluded.changed_at`,
    )
    .run(input.accountId, input.optedIn ? 1 : 0, input.source, now);
}

export async function getMarketingPreference(
  db: ParleyDb,
  accountId: string,
): Promise<{ optedIn: boolean; changedAt: number | null }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = sqliteOf(db)
    .prepare('SELECT opted_in, changed_at FROM marketing_preferences WHERE account_id = ?')
    .get(accountId) as { opted_in: number; changed_at: number } | undefined;
  return { optedIn: row?.opted_in === 1, changedAt: row?.changed_at ?? null };
}

/**
 * COM-2: queues a marketing email to every open account that opted in, and to no one else. Each message carries the
 * RFC 8058 one-click unsubscribe headers for its own signed link.
 */
export async function queueMarketingEmail(
  db: ParleyDb,
  input: { subject: string; body: string; unsubscribeUrl: (accountId: string) => string; now?: number },
): Promise<number> {
  if (blockedByTransaction(db)) await whenFree(db);
  const recipients = sqliteOf(db)
    .prepare(
      `SELECT a.id AS "accountId", coalesce(a.contact_email, (SELECT g.email FROM agents g WHERE g.account_id = a.id AND g.role = 'owner' AND g.removed_at IS NULL LIMIT 1)) AS email
       FROM accounts a JOIN marketing_preferences m ON m.account_id = a.id
       WHERE a.closed_at IS NULL AND m.opted_in`,
    )
    .all() as Array<{ accountId: string; email: string | null }>;
  let queued = 0;
  for (const r of recipients) {
    if (!r.email) continue;
    const url = input.unsubscribeUrl(r.accountId);
    await queueMail(db, {
      kind: 'marketing',
      to: r.email,
      accountId: r.accountId,
      subject: input.subject,
      body: `${input.body}\n\nTo stop these emails, open ${url} — one click, no sign-in.`,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      now: input.now,
    });
    queued++;
  }
  return queued;
}
