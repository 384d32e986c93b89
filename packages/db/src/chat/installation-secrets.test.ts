import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase } from '../testing/index.ts';
import { initInstallationSecrets, listInstallationSecrets } from './installation-secrets.ts';

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

describe('installation secrets', () => {
  it('stores the first secrets of a kind and keeps them when later starts offer others', async () => {
    const first = [
      { keyId: 'k2', value: 'second', createdAt: 2 },
      { keyId: 'k1', value: 'first', createdAt: 1 },
    ];
    expect(await initInstallationSecrets(db, 'session_key', first)).toEqual([first[1], first[0]]);
    expect(
      await initInstallationSecrets(db, 'session_key', [{ keyId: 'k9', value: 'other', createdAt: 3 }]),
    ).toEqual([first[1], first[0]]);
    expect(await listInstallationSecrets(db, 'csrf_key')).toEqual([]);
  });

  it('two nodes starting at once agree on one set of secrets', async () => {
    for (const name of ['session_key', 'csrf_key']) {
      const offers = ['node-a', 'node-b'].map((node) => [
        { keyId: `key-${node}`, value: `${name} of ${node}`, createdAt: 1 },
      ]);
      const [a, b] = await atOnce(
        db,
        offers.map((secrets) => () => initInstallationSecrets(db, name, secrets)),
      );
      expect(a).toHaveLength(1);
      expect(b).toEqual(a);
      expect(await countRows(db, 'installationSecrets', { name })).toBe(1);
    }
  });
});
