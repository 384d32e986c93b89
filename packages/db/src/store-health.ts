import { sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { rows } from './statements.ts';

/** Whether the store answers a query: what `/readyz` and `parley doctor` ask of it. Throws what the driver says. */
export async function probeStore(db: ParleyDb): Promise<void> {
  await rows(db, sql`SELECT 1 AS one`);
}

/** The database server's clock, in milliseconds since the epoch: on SQLite, this machine's. */
export async function storeClock(db: ParleyDb): Promise<number> {
  const [found] = await rows<{ ms: number | string }>(
    db,
    db.dialect === 'postgres'
      ? sql`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms`
      : sql`SELECT (julianday('now') - 2440587.5) * 86400000.0 AS ms`,
  );
  return Number(found?.ms);
}

/**
 * PostgreSQL's settings that decide whether erased rows linger after erasure (RET-4): vacuuming, and how long the
 * write-ahead log is kept. Empty on SQLite, which has none of them.
 */
export async function erasureSettings(db: ParleyDb): Promise<Record<string, string>> {
  if (db.dialect !== 'postgres') return {};
  const found = await rows<{ name: string; setting: string }>(
    db,
    sql`SELECT name, setting FROM pg_settings
        WHERE name IN ('autovacuum', 'track_counts', 'wal_level', 'archive_mode', 'full_page_writes')`,
  );
  return Object.fromEntries(found.map((r) => [r.name, r.setting]));
}
