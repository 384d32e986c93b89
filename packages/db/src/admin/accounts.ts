import { eq, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { readOne, rows } from '../statements.ts';

/** An account as operator staff see it: who it is and where its data lives, never its chats or contacts. */
export interface AccountSummary {
  id: string;
  organization: string;
  region: string;
  createdAt: number;
  closedAt: number | null;
  /** Agents not removed, the owner included. */
  agents: number;
}

/** Every account, open ones first, each group by organization whatever its case. */
export async function listAccountSummaries(db: ParleyDb): Promise<AccountSummary[]> {
  return rows<AccountSummary>(
    db,
    sql`SELECT a.id, a.organization, a.region, a.created_at AS "createdAt", a.closed_at AS "closedAt",
               (SELECT count(*) FROM agents g WHERE g.account_id = a.id AND g.removed_at IS NULL) AS agents
        FROM accounts a ORDER BY a.closed_at IS NOT NULL, lower(a.organization), a.id`,
  );
}

export async function accountExists(db: ParleyDb, accountId: string): Promise<boolean> {
  const found = await readOne(db, (o, { accounts }) =>
    o.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)),
  );
  return found !== null;
}
