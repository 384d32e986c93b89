import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { defaultMigrationFolders, type MigrationFolders } from './bundling.ts';
import type { ParleyDb } from './connection.ts';
import { rows } from './statements.ts';

interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations in a folder drizzle generated, oldest first. */
const journal = (folder: string): JournalEntry[] =>
  (JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] })
    .entries;

/** The names of the migrations in a folder (`0020_spam`), oldest first: what a new store is brought through. */
export const migrationNames = (folder: string): string[] => journal(folder).map((entry) => entry.tag);

/**
 * The migrations of the store's engine that `migrate` would apply, by name (`0020_spam`), oldest first; none on a
 * store that is up to date. Reads, never writes: drizzle applies every migration newer than the last one it
 * recorded, in its table of applied migrations, and this compares with the same record.
 */
export async function pendingMigrations(
  db: ParleyDb,
  folders: MigrationFolders = defaultMigrationFolders,
): Promise<string[]> {
  const table = db.dialect === 'postgres' ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
  const exists =
    db.dialect === 'postgres'
      ? sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS found`
      : sql`SELECT count(*) > 0 AS found FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`;
  const [recorded] = await rows<{ found: boolean | number }>(db, exists);
  let last = Number.NEGATIVE_INFINITY;
  if (recorded?.found) {
    const [row] = await rows<{ last: number | string | null }>(
      db,
      sql`SELECT max(created_at) AS last FROM ${table}`,
    );
    if (row?.last !== null && row?.last !== undefined) last = Number(row.last);
  }
  return journal(folders[db.dialect])
    .filter((entry) => entry.when > last)
    .map((entry) => entry.tag);
}
