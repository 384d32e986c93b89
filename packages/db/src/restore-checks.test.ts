import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, openStore, type ParleyDb } from './connection.ts';
import { dropTables, isParleyStore, otherParleyConnections, tablesIn } from './restore-checks.ts';
import { countRows, createTestDatabase, testDialect } from './testing/index.ts';

const opened: ParleyDb[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const db of opened.splice(0).reverse()) await closeDatabase(db);
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function seeded(): Promise<ParleyDb> {
  const db = await createTestDatabase();
  opened.push(db);
  return db;
}

/** A store no migration has touched: an empty SQLite database, or a database just made with CREATE DATABASE. */
async function empty(): Promise<ParleyDb> {
  if (testDialect() === 'postgres') {
    const { createTestPostgresDatabase } = await import('./testing/postgres.ts');
    const database = await createTestPostgresDatabase({ migrated: false });
    const db = openStore(database.url, { poolSize: 1, onClose: database.drop });
    opened.push(db);
    return db;
  }
  const db = openDatabase(':memory:');
  opened.push(db);
  return db;
}

describe('what restore asks of a store', () => {
  it('tells a Parley store, with its tables, from an empty database', async () => {
    const parley = await seeded();
    expect(await isParleyStore(parley)).toBe(true);
    expect(await tablesIn(parley)).toEqual(
      expect.arrayContaining(['accounts', 'erasure_ledger', 'messages']),
    );
    const nothing = await empty();
    expect(await isParleyStore(nothing)).toBe(false);
    expect(await tablesIn(nothing)).toEqual([]);
  });

  it.runIf(testDialect() === 'postgres')(
    "counts the other connections Parley holds to the database by their name, not the restore's own",
    async () => {
      const parley = await seeded();
      const { createTestPostgresDatabase } = await import('./testing/postgres.ts');
      const database = await createTestPostgresDatabase({ seeded: true });
      cleanups.push(database.drop);
      const restore = openStore(database.url, { poolSize: 1, applicationName: 'parley restore' });
      opened.push(restore);
      expect(await otherParleyConnections(restore)).toBe(0);
      const server = openStore(database.url, { poolSize: 1 });
      opened.push(server);
      await countRows(server, 'accounts');
      expect(await otherParleyConnections(restore)).toBe(1);
      // Another database's connections are not this one's.
      await countRows(parley, 'accounts');
      expect(await otherParleyConnections(restore)).toBe(1);
      await dropTables(restore, ['erasure_ledger']);
      expect(await tablesIn(restore)).not.toContain('erasure_ledger');
    },
  );
});
