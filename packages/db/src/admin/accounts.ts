import { type ParleyDb, sqliteOf } from '../connection.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

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

export async function listAccountSummaries(db: ParleyDb): Promise<AccountSummary[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  return sqliteOf(db)
    .prepare(
      `SELECT a.id, a.organization, a.region, a.created_at AS "createdAt", a.closed_at AS "closedAt",
              (SELECT count(*) FROM agents g WHERE g.account_id = a.id AND g.removed_at IS NULL) AS agents
       FROM accounts a ORDER BY a.closed_at IS NOT NULL, lower(a.organization)`,
    )
    .all() as AccountSummary[];
}

export async function accountExists(db: ParleyDb, accountId: string): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return sqliteOf(db).prepare('SELECT 1 FROM accounts WHERE id = ?').get(accountId) !== undefined;
}
