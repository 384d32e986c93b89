import type { ParleyDb } from '../connection.ts';
import { write } from '../statements.ts';
import { transaction } from '../transaction.ts';

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

/** Lines per insert: nine parameters each keeps a statement well under the number either engine accepts. */
const LINES_PER_INSERT = 500;

/** Writes a batch of lines in one transaction. */
export async function writeAccessLog(db: ParleyDb, entries: readonly AccessLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await transaction(db, async () => {
    for (let start = 0; start < entries.length; start += LINES_PER_INSERT) {
      const lines = entries.slice(start, start + LINES_PER_INSERT);
      await write(db, (o, { accessLog }) => o.insert(accessLog).values(lines));
    }
  });
}
