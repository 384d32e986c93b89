import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointReport, startCheckpointer, walFileLimit } from './checkpointer.ts';
import { checkpoint, closeDatabase, openDatabase, type ParleyDb, sqliteOf } from './connection.ts';

const folders: string[] = [];
function fileDatabase(): ParleyDb {
  const folder = mkdtempSync(join(tmpdir(), 'parley-checkpointer-'));
  folders.push(folder);
  const db = openDatabase(join(folder, 'parley.db'));
  sqliteOf(db).exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const writeRows = (db: ParleyDb, rows: number) => {
  const insert = sqliteOf(db).prepare('INSERT INTO notes (body) VALUES (?)');
  sqliteOf(db).transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(500));
  })();
};

describe('startCheckpointer', () => {
  it('leaves checkpoints below its limit to a worker, which copies the WAL into the database', async () => {
    const db = fileDatabase();
    const reports: CheckpointReport[] = [];
    const done = new Promise<void>((resolve) => {
      const checkpointer = startCheckpointer(db, {
        intervalMs: 10,
        onCheckpoint: (report) => {
          reports.push(report);
          if (report.walFrames > 1_000 && report.checkpointed === report.walFrames)
            void checkpointer.stop().then(resolve);
        },
      });
    });
    expect(sqliteOf(db).pragma('wal_autocheckpoint', { simple: true })).toBe(262_144);
    const before = statSync(db.path).size;
    // Far more than SQLite's own threshold of 1,000 pages; the writer leaves them to the worker.
    writeRows(db, 20_000);
    await done;
    expect(reports.at(-1)!.walFrames).toBeGreaterThan(1_000);
    expect(statSync(db.path).size).toBeGreaterThan(before + 20_000 * 500);
    // Stopped, the connection checkpoints by itself again.
    expect(sqliteOf(db).pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await closeDatabase(db);
  });

  it("keeps the WAL bounded while writes never pause: the server's connection starts it again at the mark", async () => {
    const db = fileDatabase();
    // The worker sleeps through this test, so the bound below is the server connection's own doing and holds
    // whatever the machine's speed: a checkpoint at the mark that no other connection can be busy with.
    const checkpointer = startCheckpointer(db, {
      intervalMs: 3_600_000,
      idleIntervalMs: 3_600_000,
      maxWalFrames: 100,
    });
    expect(sqliteOf(db).pragma('wal_autocheckpoint', { simple: true })).toBe(100);
    // Small commits back to back, about 6,000 pages in all, 60 times the mark.
    for (let i = 0; i < 1_500; i++) writeRows(db, 20);
    // The WAL file only grows to the most frames the WAL ever held: the mark and the commit that crossed it.
    const walFrames = (statSync(`${db.path}-wal`).size - 32) / (4096 + 24);
    expect(walFrames).toBeGreaterThanOrEqual(100);
    expect(walFrames).toBeLessThan(100 + 20);
    await checkpointer.stop();
    await closeDatabase(db);
  });

  it('keeps the WAL bounded while the worker races the writes, and truncates it once writes stop', async () => {
    const db = fileDatabase();
    const checkpointer = startCheckpointer(db, { intervalMs: 5, maxWalFrames: 100 });
    for (let i = 0; i < 1_500; i++) {
      writeRows(db, 20);
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // However the two threads were scheduled, the WAL started again: it never held all 6,000 pages written.
    const walFileFrames = (statSync(`${db.path}-wal`).size - 32) / (4096 + 24);
    expect(walFileFrames).toBeLessThan(3_000);
    await checkpointer.stop();
    // Writes stopped: the checkpoint that shutdown and erasure take leaves nothing in the WAL file.
    await checkpoint(db);
    expect(statSync(`${db.path}-wal`).size).toBe(0);
    await closeDatabase(db);
  });

  it('does not cut the WAL file back when the WAL starts again at its mark', async () => {
    const db = fileDatabase();
    // The worker sleeps, so the WAL starts again at the mark exactly as the server's connection decides, on a
    // slow machine or a fast one; with a worker racing it, the WAL can pass twice the mark, and is then cut back
    // to the limit by design.
    const checkpointer = startCheckpointer(db, {
      intervalMs: 3_600_000,
      idleIntervalMs: 3_600_000,
      maxWalFrames: 100,
    });
    const walSize = () => statSync(`${db.path}-wal`).size;
    // Each commit adds pages, so the WAL crosses its mark of 100 pages many times over and starts again each time.
    let largest = 0;
    for (let i = 0; i < 400; i++) {
      writeRows(db, 20);
      const size = walSize();
      // Cutting a large WAL file back is slow and happens inside a commit: once the file has grown, it stays.
      expect(size).toBeGreaterThanOrEqual(largest);
      largest = size;
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // The file holds about the mark's 100 frames, not the 400 × 3 pages written.
    expect(largest).toBeLessThan(walFileLimit(100, 4096));
    await checkpointer.stop();
    await closeDatabase(db);
  });

  it('wakes less often while nothing is written, and checkpoints again once writes resume', async () => {
    const db = fileDatabase();
    let next: (report: CheckpointReport) => void = () => {};
    const report = () => new Promise<CheckpointReport>((resolve) => (next = resolve));
    const checkpointer = startCheckpointer(db, {
      intervalMs: 5,
      idleIntervalMs: 40,
      onCheckpoint: (r) => next(r),
    });
    const first = report();
    writeRows(db, 1_000);
    const before = await first;
    // Idle long enough for the worker to back off to its longest sleep several times over.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = report();
    writeRows(db, 1_000);
    const after = await again;
    expect(after.checkpointed).toBe(after.walFrames);
    expect(after).not.toEqual(before);
    await checkpointer.stop();
    await closeDatabase(db);
  });

  it('refuses an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(() => startCheckpointer(db)).toThrow(/in-memory/);
    sqliteOf(db).close();
  });
});

describe('checkpoint', () => {
  it('tries again while another connection is checkpointing, and truncates the WAL in the end', async () => {
    const db = fileDatabase();
    writeRows(db, 2_000);
    // SQLite answers busy at once, without waiting, while another checkpoint runs; here that happens twice.
    const pragma = sqliteOf(db).pragma.bind(sqliteOf(db));
    let refusals = 2;
    sqliteOf(db).pragma = ((source: string, options?: object) => {
      if (source === 'wal_checkpoint(TRUNCATE)' && refusals > 0) {
        refusals--;
        return [{ busy: 1, log: -1, checkpointed: -1 }];
      }
      return pragma(source, options);
    }) as Database.Database['pragma'];
    await checkpoint(db);
    expect(refusals).toBe(0);
    expect(statSync(`${db.path}-wal`).size).toBe(0);
    sqliteOf(db).pragma = pragma;
    await closeDatabase(db);
  });

  it('throws rather than leave the WAL in place when it stays busy', async () => {
    const db = fileDatabase();
    const pragma = sqliteOf(db).pragma.bind(sqliteOf(db));
    sqliteOf(db).pragma = ((source: string, options?: object) =>
      source === 'wal_checkpoint(TRUNCATE)'
        ? [{ busy: 1, log: -1, checkpointed: -1 }]
        : pragma(source, options)) as Database.Database['pragma'];
    await expect(checkpoint(db, 30)).rejects.toThrow(/could not be checkpointed/);
    sqliteOf(db).pragma = pragma;
    await closeDatabase(db);
  });

  it('truncates the WAL every time while the worker checkpoints under writes', async () => {
    const db = fileDatabase();
    const checkpointer = startCheckpointer(db, { intervalMs: 1 });
    for (let i = 0; i < 30; i++) {
      writeRows(db, 500);
      await new Promise((resolve) => setTimeout(resolve, 2));
      await checkpoint(db);
      expect(statSync(`${db.path}-wal`).size).toBe(0);
    }
    await checkpointer.stop();
    await closeDatabase(db);
  });
});
