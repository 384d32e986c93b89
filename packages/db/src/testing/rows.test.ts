import { describe, expect, it } from 'vitest';
import { createTestDatabase, FIXTURE } from './index.ts';
import { countRows, deleteRows, insertRows, readRow, readRows, type TableName, updateRows } from './rows.ts';

describe('typed rows for tests', () => {
  it('reads the rows that match every given field, with the schema’s names and types', async () => {
    const db = await createTestDatabase();
    const anna = await readRow(db, 'visitors', { id: FIXTURE.visitors.anna.id });
    expect(anna).toMatchObject({ id: FIXTURE.visitors.anna.id, email: 'anna@example.org' });
    expect(typeof anna.persistent).toBe('boolean');
    const same = await readRows(db, 'visitors', { id: anna.id, accountId: anna.accountId });
    expect(same).toEqual([anna]);
    expect(await readRows(db, 'visitors', { id: anna.id, accountId: 'acc_nobody' })).toEqual([]);
  });

  it('matches a missing value with null, and orders and limits on request', async () => {
    const db = await createTestDatabase();
    const all = await readRows(db, 'visitors');
    const withoutEmail = all.filter((v) => v.email === null);
    expect(withoutEmail.length).toBeGreaterThan(0);
    expect(await countRows(db, 'visitors', { email: null })).toBe(withoutEmail.length);
    const newest = await readRows(db, 'visitors', {}, { orderBy: 'createdAt', descending: true, limit: 2 });
    const expected = [...all].sort((a, b) => b.createdAt - a.createdAt).slice(0, 2);
    expect(newest.map((v) => v.createdAt)).toEqual(expected.map((v) => v.createdAt));
  });

  it('sets, deletes and inserts rows, and says how many it changed', async () => {
    const db = await createTestDatabase();
    const id = FIXTURE.conversations.benActive;
    expect(await updateRows(db, 'conversations', { rating: 4 }, { id })).toBe(1);
    expect((await readRow(db, 'conversations', { id })).rating).toBe(4);
    const before = await countRows(db, 'auditLog');
    await insertRows(db, 'auditLog', [
      { actorKind: 'system', action: 'test.one', createdAt: 1 },
      { actorKind: 'system', action: 'test.two', createdAt: 2, detail: { n: 2 } },
    ]);
    expect((await readRow(db, 'auditLog', { action: 'test.two' })).detail).toEqual({ n: 2 });
    expect(await deleteRows(db, 'auditLog', { action: 'test.one', createdAt: 1 })).toBe(1);
    expect(await countRows(db, 'auditLog', { action: 'test.one' })).toBe(0);
    expect(await countRows(db, 'auditLog')).toBe(before + 1);
  });

  it('refuses what it cannot mean: several rows for one, an unknown table or field, nothing to set', async () => {
    const db = await createTestDatabase();
    await expect(readRow(db, 'visitors')).rejects.toThrow(/expected one row of visitors/);
    await expect(readRow(db, 'visitors', { id: 'vis_nobody' })).rejects.toThrow(/found 0/);
    await expect(readRows(db, 'nothing' as TableName)).rejects.toThrow(/no table named nothing/);
    await expect(readRows(db, 'visitors', { colour: 'red' } as never)).rejects.toThrow(
      /no field named colour/,
    );
    await expect(updateRows(db, 'visitors', {})).rejects.toThrow(/no values to set/);
  });
});
