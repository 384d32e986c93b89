import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPostgres } from '../testing/postgres.ts';
import { defaultPostgresMigrationsFolder, migratePostgres, openPostgres } from './connection.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function freshDatabase() {
  const db = await createTestPostgres({ migrated: false });
  cleanups.push(db.close);
  return db;
}

describe('PostgreSQL migrations', () => {
  it('two nodes starting at once against one fresh database both succeed and apply each migration once', async () => {
    const db = await freshDatabase();
    const nodes = [
      openPostgres(db.database.url, { poolSize: 2 }),
      openPostgres(db.database.url, { poolSize: 2 }),
    ];
    cleanups.unshift(async () => void (await Promise.all(nodes.map((n) => n.close()))));
    await Promise.all(nodes.map((node) => migratePostgres(node)));
    const { rows } = await db.pool.query<{ hash: string; n: number }>(
      'SELECT hash, count(*) AS n FROM drizzle.__drizzle_migrations GROUP BY hash',
    );
    const committed = readMigrationFiles({ migrationsFolder: defaultPostgresMigrationsFolder });
    expect(rows.map((r) => [r.hash, r.n]).sort()).toEqual(committed.map((m) => [m.hash, 1]).sort());
  });

  it('a second run on a migrated database changes nothing', async () => {
    const db = await freshDatabase();
    await migratePostgres(db);
    const before = await db.pool.query(
      'SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id',
    );
    await migratePostgres(db);
    const after = await db.pool.query(
      'SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id',
    );
    expect(after.rows).toEqual(before.rows);
  });
});
