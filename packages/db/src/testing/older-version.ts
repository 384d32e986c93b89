import { sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { run } from '../statements.ts';

/**
 * For tests of what restores and upgrades do with a store of an older version: makes an SQLite store look as it
 * did before its newest migration, which created `tables`: they are dropped and the migration is forgotten, so
 * that `migrate` applies it again.
 */
export async function beforeNewestMigration(db: ParleyDb, tables: readonly string[]): Promise<void> {
  if (db.dialect !== 'sqlite') throw new Error('beforeNewestMigration works on SQLite stores');
  for (const table of tables) await run(db, sql`DROP TABLE ${sql.identifier(table)}`);
  await run(
    db,
    sql`DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)`,
  );
}
