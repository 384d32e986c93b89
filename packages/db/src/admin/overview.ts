import { type ParleyDb, sqliteOf } from '../connection.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

export interface InstallationOverview {
  accountsByRegion: Array<{ region: string; open: number; closed: number }>;
  visitors: number;
  conversations: { waiting: number; active: number; closed: number };
  /** Mail the mailer will still try to send. */
  pendingMail: number;
  /** RET-4: visitors' requests past their deadline and not completed, across every account. */
  overdueRequests: number;
  /** SHR-1: disclosure requests not yet refused or completed. */
  openDisclosures: number;
}

/** Counts only, for the console's first page: nothing here identifies anyone. */
export async function installationOverview(db: ParleyDb, now = Date.now()): Promise<InstallationOverview> {
  if (blockedByTransaction(db)) await whenFree(db);
  const count = (sql: string, ...params: unknown[]): number =>
    (
      sqliteOf(db)
        .prepare(sql)
        .get(...params) as { n: number }
    ).n;
  const accountsByRegion = sqliteOf(db)
    .prepare(
      `SELECT region, count(*) FILTER (WHERE closed_at IS NULL) AS open, count(*) FILTER (WHERE closed_at IS NOT NULL) AS closed
       FROM accounts GROUP BY region ORDER BY region`,
    )
    .all() as Array<{ region: string; open: number; closed: number }>;
  const byStatus = sqliteOf(db)
    .prepare('SELECT status, count(*) AS n FROM conversations GROUP BY status')
    .all() as Array<{
    status: 'waiting' | 'active' | 'closed';
    n: number;
  }>;
  const conversations = { waiting: 0, active: 0, closed: 0 };
  for (const row of byStatus) conversations[row.status] = row.n;
  return {
    accountsByRegion,
    visitors: count('SELECT count(*) AS n FROM visitors'),
    conversations,
    pendingMail: count('SELECT count(*) AS n FROM notice_outbox WHERE sent_at IS NULL AND attempts < 10'),
    overdueRequests: count(
      'SELECT count(*) AS n FROM data_subject_requests WHERE completed_at IS NULL AND deadline_at < ?',
      now,
    ),
    openDisclosures: count("SELECT count(*) AS n FROM disclosures WHERE status IN ('received', 'approved')"),
  };
}
