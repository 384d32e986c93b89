import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { countRows, createTestDatabase, FIXTURE, readRows } from '../testing/index.ts';
import { type AccessLogEntry, writeAccessLog } from './access-log.ts';

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

const ROUTE = '/app/api/conversations';

const line = (at: number, visitorId: string | null = null): AccessLogEntry => ({
  at,
  method: 'GET',
  route: ROUTE,
  status: 200,
  durationMs: 4,
  ipTruncated: '203.0.113.0',
  browser: 'Firefox 132',
  language: 'de-DE',
  visitorId,
});

/** The lines this test wrote, oldest first, without the ids the store gave them. */
const written = async () =>
  (await readRows(db, 'accessLog', { route: ROUTE }, { orderBy: 'at' })).map(
    ({ id: _id, ...entry }) => entry,
  );

describe('LOG-1: the access log', () => {
  it('LOG-1: stores each line of a batch as given', async () => {
    const batch = [
      line(10, FIXTURE.visitors.anna.id),
      { ...line(11), ipTruncated: null, browser: null, language: null },
    ];
    await writeAccessLog(db, batch);
    expect(await written()).toEqual(batch);
  });

  it('writes nothing for an empty batch', async () => {
    const before = await countRows(db, 'accessLog');
    await writeAccessLog(db, []);
    expect(await countRows(db, 'accessLog')).toBe(before);
  });

  it('stores a batch longer than one insert takes, whole and in order', async () => {
    const batch = Array.from({ length: 1_201 }, (_, i) => line(i));
    await writeAccessLog(db, batch);
    expect(await written()).toEqual(batch);
  });
});
