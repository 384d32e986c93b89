import { type ParleyDb, sqliteOf } from '../connection.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

/**
 * LOG-1: one access-log line. The caller truncates the IP address before it gets here; the route carries no query
 * string; nothing holds a cookie value.
 */
export interface AccessLogEntry {
  at: number;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  ipTruncated: string | null;
  browser: string | null;
  language: string | null;
  visitorId: string | null;
}

/** Writes a batch of lines in one transaction. */
export async function writeAccessLog(db: ParleyDb, entries: readonly AccessLogEntry[]): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  if (entries.length === 0) return;
  const insert = sqliteOf(db).prepare(
    `INSERT INTO access_log (at, method, route, status, duration_ms, ip_truncated, browser, language, visitor_id)
     VALUES (@at, @method, @route, @status, @durationMs, @ipTruncated, @browser, @language, @visitorId)`,
  );
  sqliteOf(db).transaction(() => {
    for (const entry of entries) insert.run(entry);
  })();
}
