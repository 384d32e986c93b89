import { type Dialect, migrate, openDatabase, openStore, type ParleyDb } from '../connection.ts';
import type { FileStores } from '../row-files.ts';
import { seedFixtures } from './seed.ts';

export { FIXTURE, FIXTURE_NOW, FIXTURE_PASSWORD, seedFixtures } from './seed.ts';

/**
 * The engine this test run's stores use: `PARLEY_TEST_STORE=postgres` (a vitest project sets it, so one suite runs
 * on both engines) or SQLite, the default.
 */
export function testDialect(): Dialect {
  return process.env.PARLEY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * A fresh, migrated store filled with the shared deterministic data set. Every app's tests start from this, so
 * that a test about one rule sees the same accounts, visitors and conversations as all the others.
 *
 * On SQLite it is in memory, or the file `path` names. On PostgreSQL it is a database of its own, cloned from the
 * run's template (migrated, and seeded unless `seed: false`), dropped when the store is closed; it needs the
 * `globalSetup` of `@parley/db/testing/postgres-setup` in the package's vitest config.
 */
export async function createTestDatabase(
  options: {
    seed?: boolean;
    path?: string;
    files?: FileStores;
    dialect?: Dialect;
    erasureLedger?: string;
  } = {},
): Promise<ParleyDb> {
  const dialect = options.path ? 'sqlite' : (options.dialect ?? testDialect());
  const files = {
    ...(options.files ? { files: options.files } : {}),
    ...(options.erasureLedger ? { erasureLedger: options.erasureLedger } : {}),
  };
  if (dialect === 'postgres') {
    const { createTestPostgresDatabase } = await import('./postgres.ts');
    const database = await createTestPostgresDatabase({ seeded: options.seed !== false });
    return openStore(database.url, { ...files, poolSize: 2, onClose: database.drop });
  }
  const db = openDatabase(options.path ?? ':memory:', files);
  await migrate(db);
  if (options.seed !== false) await seedFixtures(db);
  return db;
}
export * from './older-version.ts';
export * from './postgres-cluster.ts';
export * from './residue.ts';
export * from './rows.ts';
