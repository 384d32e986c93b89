import { eq, type SQL, sql } from 'drizzle-orm';
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

/** An account in the console's search: its summary, and whether and why it is suspended (for staff alone). */
export interface AccountListing extends AccountSummary {
  suspendedAt: number | null;
  suspensionReason: string | null;
}

export type AccountStatus = 'open' | 'suspended' | 'closed';

export interface AccountSearch {
  /** Part of the organisation's name or of the owner's email, in any case. Matched, never returned. */
  text?: string;
  status?: AccountStatus;
  limit: number;
  /** Accounts to skip: offset paging, since staff page through a list sorted by name, not by time. */
  offset: number;
}

/** `text` inside a LIKE pattern, with LIKE's wildcards and the escape character taken literally. */
const containing = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const STATUS_CONDITION: Record<AccountStatus, SQL> = {
  open: sql`a.closed_at IS NULL AND s.account_id IS NULL`,
  suspended: sql`a.closed_at IS NULL AND s.account_id IS NOT NULL`,
  closed: sql`a.closed_at IS NOT NULL`,
};

/**
 * A page of accounts, sorted as `listAccountSummaries` sorts them, matching the search. `more` says whether another
 * page follows.
 */
export async function searchAccounts(
  db: ParleyDb,
  search: AccountSearch,
): Promise<{ accounts: AccountListing[]; more: boolean }> {
  const conditions: SQL[] = [];
  const text = search.text?.trim();
  if (text) {
    const pattern = containing(text);
    conditions.push(
      sql`(lower(a.organization) LIKE ${pattern} ESCAPE '\\' OR EXISTS (SELECT 1 FROM agents o
             WHERE o.account_id = a.id AND o.role = 'owner' AND lower(o.email) LIKE ${pattern} ESCAPE '\\'))`,
    );
  }
  if (search.status) conditions.push(STATUS_CONDITION[search.status]);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const found = await rows<AccountListing>(
    db,
    sql`SELECT a.id, a.organization, a.region, a.created_at AS "createdAt", a.closed_at AS "closedAt",
               (SELECT count(*) FROM agents g WHERE g.account_id = a.id AND g.removed_at IS NULL) AS agents,
               s.suspended_at AS "suspendedAt", s.reason AS "suspensionReason"
        FROM accounts a LEFT JOIN account_suspensions s ON s.account_id = a.id
        ${where}
        ORDER BY a.closed_at IS NOT NULL, lower(a.organization), a.id
        LIMIT ${search.limit + 1} OFFSET ${search.offset}`,
  );
  return { accounts: found.slice(0, search.limit), more: found.length > search.limit };
}
