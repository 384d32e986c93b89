import { type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { MAIL_MAX_ATTEMPTS } from '../notices.ts';
import { row, rows } from '../statements.ts';

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

async function count(db: ParleyDb, statement: SQL): Promise<number> {
  return (await row<{ n: number }>(db, statement))?.n ?? 0;
}

/** Counts only, for the console's first page: nothing here identifies anyone. */
export async function installationOverview(db: ParleyDb, now = Date.now()): Promise<InstallationOverview> {
  const accountsByRegion = await rows<{ region: string; open: number; closed: number }>(
    db,
    sql`SELECT region, count(*) FILTER (WHERE closed_at IS NULL) AS "open",
               count(*) FILTER (WHERE closed_at IS NOT NULL) AS "closed"
        FROM accounts GROUP BY region ORDER BY region`,
  );
  const byStatus = await rows<{ status: keyof InstallationOverview['conversations']; n: number }>(
    db,
    sql`SELECT status, count(*) AS n FROM conversations GROUP BY status`,
  );
  const conversations = { waiting: 0, active: 0, closed: 0 };
  for (const { status, n } of byStatus) conversations[status] = n;
  return {
    accountsByRegion,
    visitors: await count(db, sql`SELECT count(*) AS n FROM visitors`),
    conversations,
    pendingMail: await count(
      db,
      sql`SELECT count(*) AS n FROM notice_outbox WHERE sent_at IS NULL AND attempts < ${MAIL_MAX_ATTEMPTS}`,
    ),
    overdueRequests: await count(
      db,
      sql`SELECT count(*) AS n FROM data_subject_requests WHERE completed_at IS NULL AND deadline_at < ${now}`,
    ),
    openDisclosures: await count(
      db,
      sql`SELECT count(*) AS n FROM disclosures WHERE status IN ('received', 'approved')`,
    ),
  };
}
