import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, integrityCheck, newOrderedId, openDatabase } from '@parley/db';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  insertRows,
  readRows,
  testDialect,
} from '@parley/db/testing';
import { createTestPostgresDatabase } from '@parley/db/testing/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { parleyProcess, splitProgress } from './parley-process.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-backup-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A message of Anna's closed conversation, as the message writer stores one. */
const message = (n: number) => ({
  id: newOrderedId('msg'),
  conversationId: FIXTURE.conversations.annaClosed,
  accountId: FIXTURE.accounts.acme.id,
  visitorId: FIXTURE.visitors.anna.id,
  author: 'visitor' as const,
  body: `burst ${n}`,
  clientKey: `burst-${n}`,
  createdAt: Date.now(),
});

describe('parley backup', { timeout: 60_000 }, () => {
  it.runIf(testDialect() === 'sqlite')(
    'backs up an SQLite store during a burst of messages: the copy passes the integrity check and holds every message acknowledged before it began',
    async () => {
      const dir = await tempDir();
      const path = join(dir, 'parley.db');
      const db = await createTestDatabase({ path });
      cleanups.push(() => closeDatabase(db));
      await insertRows(
        db,
        'messages',
        Array.from({ length: 200 }, (_, n) => message(n)),
      );
      const acknowledged = (await readRows(db, 'messages')).map((m) => m.id);

      // The burst: this process keeps committing messages while the backup runs in a process of its own.
      let written = 200;
      let bursting = true;
      const burst = (async () => {
        while (bursting) {
          await insertRows(db, 'messages', [message(written++)]);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const file = join(dir, 'backup.db');
      const result = await parleyProcess(['backup', file], { DATABASE_URL: `file:${path}` });
      bursting = false;
      await burst;
      // Standard error, not a terminal, holds progress only: VACUUM INTO tells nothing until it is done, so one line.
      const { progress, rest } = splitProgress(result.stderr);
      expect(rest.trim()).toBe('');
      expect(result.code).toBe(0);
      expect(progress).toEqual([
        expect.objectContaining({
          job: 'backup',
          step: 'VACUUM INTO',
          unit: 'bytes',
          done: statSync(file).size,
        }),
      ]);
      expect(written).toBeGreaterThan(201);

      const copy = openDatabase(file);
      cleanups.push(() => closeDatabase(copy));
      expect(integrityCheck(copy)).toEqual(['ok']);
      const copied = new Set((await readRows(copy, 'messages')).map((m) => m.id));
      expect(acknowledged.filter((id) => !copied.has(id))).toEqual([]);
      expect(copied.size).toBeLessThanOrEqual(await countRows(db, 'messages'));

      const again = await parleyProcess(['backup', file], { DATABASE_URL: `file:${path}` });
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe(`${file} exists; name a new file for the backup`);
    },
  );

  it.runIf(testDialect() === 'postgres')(
    'backs up a PostgreSQL store with pg_dump in its custom format',
    async () => {
      const database = await createTestPostgresDatabase({ seeded: true });
      cleanups.push(database.drop);
      const file = join(await tempDir(), 'parley.dump');
      const result = await parleyProcess(['backup', file], { DATABASE_URL: database.url });
      const { progress, rest } = splitProgress(result.stderr);
      expect(rest.trim()).toBe('');
      expect(result.code).toBe(0);
      // pg_dump's progress is the file's size as it grows; the last line is the whole dump's.
      expect(progress.at(-1)).toMatchObject({ job: 'backup', step: 'pg_dump', done: statSync(file).size });
      expect((await readFile(file)).subarray(0, 5).toString()).toBe('PGDMP');
    },
  );
});
