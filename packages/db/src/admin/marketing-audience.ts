import { sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { row } from '../statements.ts';

/** COM-2: how many open accounts would receive a marketing email now. */
export async function marketingAudienceSize(db: ParleyDb): Promise<number> {
  const found = await row<{ n: number }>(
    db,
    sql`SELECT count(*) AS n FROM accounts a JOIN marketing_preferences m ON m.account_id = a.id
        WHERE a.closed_at IS NULL AND m.opted_in
          AND coalesce(a.contact_email, (SELECT g.email FROM agents g WHERE g.account_id = a.id AND g.role = 'owner' AND g.removed_at IS NULL LIMIT 1)) IS NOT NULL`,
  );
  return found?.n ?? 0;
}
