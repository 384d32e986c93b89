import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointReport, startCheckpointer } from './checkpointer.ts';
import { closeDatabase, openDatabase, type ParleyDb } from './connection.ts';

const folders: string[] = [];
function fileDatabase(): ParleyDb {
  const folder = mkdtempSync(join(tmpdir(), 'parley-checkpointer-'));
  folders.push(folder);
  const db = openDatabase(join(folder, 'parley.db'));
  db.sqlite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const writeRows = (db: ParleyDb, rows: number) => {
  const insert = db.sqlite.prepare('INSERT INTO notes (body) VALUES (?)');
  db.sqlite.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(500));
  })();
};

describe('startCheckpointer', () => {
  it('turns off checkpoints inside commits and copies the WAL into the database from a worker', async () => {
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
    expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(db.path).size;
    // Far more than SQLite's own threshold of 1,000 pages, none of which the writer checkpoints itself.
    writeRows(db, 20_000);
    await done;
    expect(reports.at(-1)!.walFrames).toBeGreaterThan(1_000);
    expect(statSync(db.path).size).toBeGreaterThan(before + 20_000 * 500);
    // Stopped, the connection checkpoints by itself again.
    expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await closeDatabase(db);
  });

  it('waits for readers and starts the WAL again once it grows past its limit', async () => {
    const db = fileDatabase();
    let next: (report: CheckpointReport) => void = () => {};
    const report = (wanted: (r: CheckpointReport) => boolean = () => true) =>
      new Promise<CheckpointReport>((resolve) => {
        next = (r) => {
          if (wanted(r)) resolve(r);
        };
      });
    const checkpointer = startCheckpointer(db, {
      intervalMs: 5,
      maxWalFrames: 50,
      onCheckpoint: (r) => next(r),
    });
    const running = report();
    writeRows(db, 100);
    await running;
    // A reader holding a snapshot keeps a passive checkpoint from copying what was written after it, so the
    // worker's RESTART waits for it; once it lets go, the whole WAL is copied.
    const reader = openDatabase(db.path);
    reader.sqlite.exec('BEGIN');
    reader.sqlite.prepare('SELECT count(*) FROM notes').get();
    const restart = report((r) => r.restarted);
    writeRows(db, 1_000);
    setTimeout(() => reader.sqlite.exec('COMMIT'), 200);
    const { walFrames, checkpointed } = await restart;
    expect(walFrames).toBeGreaterThan(50);
    expect(checkpointed).toBe(walFrames);
    await checkpointer.stop();
    reader.sqlite.close();
    await closeDatabase(db);
  });

  it('keeps the WAL bounded while writes never pause', async () => {
    const db = fileDatabase();
    const reports: CheckpointReport[] = [];
    const checkpointer = startCheckpointer(db, {
      intervalMs: 5,
      maxWalFrames: 100,
      onCheckpoint: (r) => reports.push(r),
    });
    // Small commits back to back: a passive checkpoint never finds a moment with the whole WAL copied.
    const until = Date.now() + 4_000;
    while (Date.now() < until && reports.filter((r) => r.restarted).length < 2) {
      writeRows(db, 20);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(reports.filter((r) => r.restarted).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...reports.map((r) => r.walFrames))).toBeLessThan(1_000);
    await checkpointer.stop();
    await closeDatabase(db);
  });

  it('refuses an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(() => startCheckpointer(db)).toThrow(/in-memory/);
    db.sqlite.close();
  });
});
