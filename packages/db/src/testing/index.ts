import { migrate, openDatabase, type ParleyDb } from '../connection.ts';
import type { FileStores } from '../row-files.ts';
import { seedFixtures } from './seed.ts';

export { FIXTURE, FIXTURE_NOW, FIXTURE_PASSWORD } from './seed.ts';

/**
 * A fresh, migrated, in-memory database filled with the shared deterministic data set. Every app's tests start
 * from this, so that a test about one rule sees the same accounts, visitors and conversations as all the others.
 */
export async function createTestDatabase(
  options: { seed?: boolean; path?: string; files?: FileStores } = {},
): Promise<ParleyDb> {
  const db = openDatabase(options.path ?? ':memory:', options.files ? { files: options.files } : {});
  await migrate(db);
  if (options.seed !== false) seedFixtures(db);
  return db;
}
export * from './postgres-cluster.ts';
export * from './rows.ts';
export * from './sign-in-bursts.ts';
