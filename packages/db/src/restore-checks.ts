import { sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { PARLEY_APPLICATION_NAME } from './postgres/connection.ts';
import { row, rows, run } from './statements.ts';
import { transaction } from './transaction.ts';

/**
 * What `parley restore` asks of a store before it replaces it, and of a backup before it puts it in place. The
 * restore itself (copying a file, running pg_restore) is the command's; the SQL is here.
 */

/** True when `db` holds Parley's tables: the migrations' record and the accounts. A stranger's file is refused. */
export async function isParleyStore(db: ParleyDb): Promise<boolean> {
  const found =
    db.dialect === 'sqlite'
      ? await rows<{ name: string }>(
          db,
          sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('__drizzle_migrations', 'accounts')`,
        )
      : await rows<{ name: string }>(
          db,
          sql`SELECT table_name AS name FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_name = 'accounts'
              UNION SELECT table_name FROM information_schema.tables
              WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'`,
        );
  return found.length === 2;
}

/** The tables of the database's own schema: none in a database just made with CREATE DATABASE. */
export async function tablesIn(db: ParleyDb): Promise<string[]> {
  const found =
    db.dialect === 'sqlite'
      ? await rows<{ name: string }>(
          db,
          sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
        )
      : await rows<{ name: string }>(
          db,
          sql`SELECT table_name AS name FROM information_schema.tables
              WHERE table_schema = current_schema() ORDER BY table_name`,
        );
  return found.map((r) => r.name);
}

/**
 * PostgreSQL: how many other connections to this database Parley holds, found by the name Parley's connections give
 * themselves. A running installation has at least one; a restore under it would pull the tables from under it.
 */
export async function otherParleyConnections(db: ParleyDb): Promise<number> {
  if (db.dialect !== 'postgres') return 0;
  const found = await row<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND application_name = ${PARLEY_APPLICATION_NAME}`,
  );
  return found?.n ?? 0;
}

/**
 * PostgreSQL: drops tables of the database's own schema, with what depends on them. `parley restore --force` drops
 * those a backup of an older version does not hold, which `pg_restore --clean` would leave behind and the
 * migrations of this version would then find in their way.
 */
export async function dropTables(db: ParleyDb, names: readonly string[]): Promise<void> {
  if (db.dialect !== 'postgres' || names.length === 0) return;
  await transaction(db, async () => {
    for (const name of names) await run(db, sql`DROP TABLE IF EXISTS ${sql.identifier(name)} CASCADE`);
  });
}
