import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { queueMail } from './notices.ts';
import { read, readOne, write } from './statements.ts';

export type MarketingSource = 'signup' | 'dashboard' | 'unsubscribe_link' | 'admin';

export async function setMarketingPreference(
  db: ParleyDb,
  input: { accountId: string; optedIn: boolean; source: MarketingSource; now?: number },
): Promise<void> {
  const choice = { optedIn: input.optedIn, source: input.source, changedAt: input.now ?? Date.now() };
  await write(db, (o, { marketingPreferences }) =>
    o
      .insert(marketingPreferences)
      .values({ accountId: input.accountId, ...choice })
      .onConflictDoUpdate({ target: marketingPreferences.accountId, set: choice }),
  );
}

export async function getMarketingPreference(
  db: ParleyDb,
  accountId: string,
): Promise<{ optedIn: boolean; changedAt: number | null }> {
  const row = await readOne(db, (o, { marketingPreferences }) =>
    o
      .select({ optedIn: marketingPreferences.optedIn, changedAt: marketingPreferences.changedAt })
      .from(marketingPreferences)
      .where(eq(marketingPreferences.accountId, accountId)),
  );
  return { optedIn: row?.optedIn ?? false, changedAt: row?.changedAt ?? null };
}

/** Open accounts that opted in, with the address that hears from us: the contact email, else the owner's. */
async function optedInAccounts(db: ParleyDb): Promise<Array<{ accountId: string; email: string | null }>> {
  return read(db, (o, { accounts, agents, marketingPreferences }) =>
    o
      .select({
        accountId: accounts.id,
        email: sql<
          string | null
        >`coalesce(${accounts.contactEmail}, (SELECT ${agents.email} FROM ${agents} WHERE ${agents.accountId} = ${accounts.id} AND ${agents.role} = 'owner' AND ${agents.removedAt} IS NULL ORDER BY ${agents.createdAt} LIMIT 1))`,
      })
      .from(accounts)
      .innerJoin(marketingPreferences, eq(marketingPreferences.accountId, accounts.id))
      .where(and(isNull(accounts.closedAt), eq(marketingPreferences.optedIn, true)))
      .orderBy(asc(accounts.id)),
  );
}

/**
 * COM-2: queues a marketing email to every open account that opted in, and to no one else. Each message carries the
 * RFC 8058 one-click unsubscribe headers for its own signed link.
 */
export async function queueMarketingEmail(
  db: ParleyDb,
  input: { subject: string; body: string; unsubscribeUrl: (accountId: string) => string; now?: number },
): Promise<number> {
  let queued = 0;
  for (const r of await optedInAccounts(db)) {
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
