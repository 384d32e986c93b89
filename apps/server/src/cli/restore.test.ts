import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, integrityCheck, openDatabase, openStore, type ParleyDb } from '@parley/db';
import {
  beforeNewestMigration,
  countRows,
  createTestDatabase,
  FIXTURE,
  occurrences,
  readRows,
  testDialect,
} from '@parley/db/testing';
import { createTestPostgresDatabase } from '@parley/db/testing/postgres';
import { LIMITS } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TestSocket } from '../testing/test-app.ts';
import { findPgDump, findPgTool } from './backup.ts';
import { parleyProcess, splitProgress } from './parley-process.ts';
import { servingLockOf } from './serving-lock.ts';

/** PostgreSQL's restores need pg_dump and pg_restore; where the client is not installed they are skipped. */
const withPgRestore =
  testDialect() === 'postgres' && findPgTool('pg_restore') !== null && findPgDump() !== null;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-restore-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const anna = FIXTURE.visitors.anna;
const acme = FIXTURE.accounts.acme.id;
/** What only Anna's rows hold: her address, her messages, and the comment inside the photo she sent. */
const annaStrings = [
  anna.email,
  'Do you ship roses to Austria?',
  'Please call me back about the rose order.',
  FIXTURE.files.annaPhoto.marker,
];

/** An SQLite installation holding the fixture, in a folder of its own (its ledger file goes beside it). */
async function sqliteInstallation(): Promise<{ dir: string; path: string; url: string }> {
  const dir = await tempDir();
  const path = join(dir, 'parley.db');
  await closeDatabase(await createTestDatabase({ path }));
  return { dir, path, url: `file:${path}` };
}

/** Runs `parley` and expects it to succeed; returns what it printed, and the jobs its progress lines named. */
async function parleyOk(args: string[], settings: Record<string, string>): Promise<string> {
  const result = await parleyProcess(args, settings);
  const { progress, rest } = splitProgress(result.stderr);
  expect(rest).toBe('');
  expect(result.code).toBe(0);
  // Backup and restore say how far they are on standard error (JSON lines, not being on a terminal), each step ended.
  if (args[0] === 'backup' || args[0] === 'restore')
    expect(progress.filter((line) => line.job === args[0]).length).toBeGreaterThan(0);
  return result.stdout;
}

const eraseAnna = (settings: Record<string, string>) =>
  parleyOk(['erase-visitor', '--account', acme, '--chat-id', anna.chatId, '--yes'], settings);

/** Where each of Anna's strings is still found under `dir`: nowhere, after her erasure. */
const residue = (dir: string) =>
  Object.fromEntries(annaStrings.map((s) => [s, Object.fromEntries(occurrences(dir, s))]));
const nowhere = Object.fromEntries(annaStrings.map((s) => [s, {}]));

async function annaIn(url: string): Promise<number> {
  const db = openStore(url, { poolSize: 1 });
  try {
    return await countRows(db, 'visitors', { id: anna.id });
  } finally {
    await closeDatabase(db);
  }
}

/** An SQLite installation backed up with `parley backup`, then Anna erased from it: what a restore must not undo. */
async function backedUpThenAnnaErased() {
  const installation = await sqliteInstallation();
  const backup = join(await tempDir(), 'before.db');
  await parleyOk(['backup', backup], { DATABASE_URL: installation.url });
  await eraseAnna({ DATABASE_URL: installation.url });
  return { ...installation, backup };
}

describe('parley restore (SQLite)', { timeout: 120_000 }, () => {
  it.runIf(testDialect() === 'sqlite')(
    'RET-4: a visitor erased after the backup stays erased when the backup is restored over the installation',
    async () => {
      const { dir, path, url, backup } = await backedUpThenAnnaErased();

      const printed = await parleyOk(['restore', backup, '--force'], { DATABASE_URL: url });
      expect(printed).toContain('1 visitor erased again');
      expect(await annaIn(url)).toBe(0);
      // Neither the restored file (nor its WAL) nor the one kept aside holds anything of hers.
      expect(residue(dir)).toEqual(nowhere);
      const aside = readdirSync(dir).filter((name) => name.startsWith('parley.db.before-restore-'));
      expect(aside).toHaveLength(1);
      const restored = openDatabase(path);
      cleanups.push(() => closeDatabase(restored));
      expect(integrityCheck(restored)).toEqual(['ok']);
      expect(await countRows(restored, 'visitors', { id: FIXTURE.visitors.ben.id })).toBe(1);
    },
  );

  it.runIf(testDialect() === 'sqlite')(
    'RET-4: when the store itself is lost, the ledger file beside it still erases the visitor from the older backup',
    async () => {
      const { dir, path, url, backup } = await backedUpThenAnnaErased();
      for (const file of [path, `${path}-wal`, `${path}-shm`]) await rm(file, { force: true });

      const printed = await parleyOk(['restore', backup], { DATABASE_URL: url });
      expect(printed).toContain('1 visitor erased again');
      expect(await annaIn(url)).toBe(0);
      expect(residue(dir)).toEqual(nowhere);
      const ledger = await readFile(join(dir, 'erasure-ledger.jsonl'), 'utf8');
      for (const text of [anna.id, anna.email, anna.chatId]) expect(ledger).not.toContain(text);
    },
  );

  it.runIf(testDialect() === 'sqlite')(
    'RET-4: a backup of the version before the ledger is brought up to this version, and the ledger replayed in it',
    async () => {
      const { path, url } = await sqliteInstallation();
      const backup = join(await tempDir(), 'older.db');
      await parleyOk(['backup', backup], { DATABASE_URL: url });
      const older = openDatabase(backup);
      await beforeNewestMigration(older, ['erasure_ledger']);
      await closeDatabase(older);
      await eraseAnna({ DATABASE_URL: url });

      const printed = await parleyOk(['restore', backup, '--force'], { DATABASE_URL: url });
      expect(printed).toContain('1 visitor erased again');
      const restored = openDatabase(path);
      cleanups.push(() => closeDatabase(restored));
      expect(await countRows(restored, 'visitors', { id: anna.id })).toBe(0);
      expect(await countRows(restored, 'erasureLedger')).toBe(1);
    },
  );

  it.runIf(testDialect() === 'sqlite')(
    'refuses to replace an installation without --force, and a file that is not a Parley backup',
    async () => {
      const { path, url } = await sqliteInstallation();
      const backup = join(await tempDir(), 'before.db');
      await parleyOk(['backup', backup], { DATABASE_URL: url });
      const before = await readFile(path);

      const refused = await parleyProcess(['restore', backup], { DATABASE_URL: url });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `${path} already holds an installation; pass --force to replace it (it is kept as ${path}.before-restore-<time>).`,
      );
      expect((await readFile(path)).equals(before)).toBe(true);

      const stranger = join(await tempDir(), 'notes.db');
      const other = openDatabase(stranger);
      await closeDatabase(other);
      const notParley = await parleyProcess(['restore', stranger, '--force'], { DATABASE_URL: url });
      expect(notParley.code).toBe(1);
      expect(splitProgress(notParley.stderr).rest.trim()).toBe(
        `${stranger} is not a Parley backup (no Parley tables in it); nothing was restored.`,
      );
      expect((await readFile(path)).equals(before)).toBe(true);
    },
  );

  it.runIf(testDialect() === 'sqlite')(
    'refuses to restore while parley serve runs on the database',
    async () => {
      const { dir, path, url } = await sqliteInstallation();
      const backup = join(await tempDir(), 'before.db');
      await parleyOk(['backup', backup], { DATABASE_URL: url });
      const server = await serve({ DATABASE_URL: url, PARLEY_MAIL_DIR: join(dir, 'mail') });
      // The pid of the process that serves (tsx runs Parley in a child of the one started here).
      const pid = (await readFile(servingLockOf(path), 'utf8')).trim();
      expect(Number(pid)).toBeGreaterThan(0);

      const refused = await parleyProcess(['restore', backup, '--force'], { DATABASE_URL: url });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `Parley is running on ${path} (pid ${pid}); stop it, then restore again.`,
      );
      expect(readdirSync(dir).filter((name) => name.includes('before-restore'))).toEqual([]);

      await stop(server);
      expect(existsSync(servingLockOf(path))).toBe(false);
      await parleyOk(['restore', backup, '--force'], { DATABASE_URL: url });
    },
  );
});

const script = fileURLToPath(new URL('./parley.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** `parley serve` in a process of its own, on free ports; resolves once it listens. */
async function serve(settings: Record<string, string>): Promise<ChildProcess> {
  const { DATABASE_URL: _, DATABASE_PATH: __, PARLEY_CONFIG: ___, ...env } = process.env;
  const child = spawn(tsx, [script, 'serve'], {
    env: { ...env, PORT: '0', ADMIN_PORT: 'off', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stop(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Parley is listening')) resolve();
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => reject(new Error(`parley serve exited with ${code}: ${output}`)));
  });
  return child;
}

/** Stops a served Parley as an operator does (SIGTERM), and waits for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('parley restore (PostgreSQL)', { timeout: 120_000 }, () => {
  it.runIf(withPgRestore)(
    'RET-4: a visitor erased after the backup stays erased when the pg_dump backup is restored over the database',
    async () => {
      const database = await createTestPostgresDatabase({ seeded: true });
      cleanups.push(database.drop);
      const data = await tempDir();
      const settings = { DATABASE_URL: database.url, PARLEY_MAIL_DIR: join(data, 'mail') };
      const backup = join(await tempDir(), 'before.dump');
      await parleyOk(['backup', backup], settings);
      await eraseAnna(settings);
      expect(await annaIn(database.url)).toBe(0);

      const refused = await parleyProcess(['restore', backup], settings);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('pass --force to replace what the backup holds');

      const printed = await parleyOk(['restore', backup, '--force'], settings);
      expect(printed).toContain('1 visitor erased again');
      expect(await annaIn(database.url)).toBe(0);
      const db = openStore(database.url, { poolSize: 1 });
      cleanups.push(() => closeDatabase(db));
      expect(await countRows(db, 'visitors', { id: FIXTURE.visitors.ben.id })).toBe(1);
      expect(await countRows(db, 'conversations', { visitorId: anna.id })).toBe(0);
    },
  );

  it.runIf(withPgRestore)(
    'restores into an empty database, replaying the ledger file of the lost one',
    async () => {
      const database = await createTestPostgresDatabase({ seeded: true });
      cleanups.push(database.drop);
      const data = await tempDir();
      const mailDir = join(data, 'mail');
      const backup = join(await tempDir(), 'before.dump');
      await parleyOk(['backup', backup], { DATABASE_URL: database.url, PARLEY_MAIL_DIR: mailDir });
      await eraseAnna({ DATABASE_URL: database.url, PARLEY_MAIL_DIR: mailDir });

      const empty = await createTestPostgresDatabase({ migrated: false });
      cleanups.push(empty.drop);
      const printed = await parleyOk(['restore', backup], {
        DATABASE_URL: empty.url,
        PARLEY_MAIL_DIR: mailDir,
      });
      expect(printed).toContain('1 visitor erased again');
      expect(await annaIn(empty.url)).toBe(0);
    },
  );
});

/** A visitor's socket that sends chat messages one after another and keeps the id of each acknowledged one. */
async function chatter(wsUrl: string) {
  const socket = new TestSocket(`${wsUrl}/ws/visitor?account=${FIXTURE.accounts.acme.publicKey}`);
  socket.send({ type: 'hello', persistent: true, chatId: FIXTURE.visitors.ben.chatId });
  await socket.next('welcome');
  const acknowledged: string[] = [];
  let going = true;
  let n = 0;
  const loop = (async () => {
    while (going) {
      const key = `burst_${n}_${'k'.repeat(16)}`;
      socket.send({ type: 'send', key, text: `burst ${n}` });
      const answer = await socket
        .next<{ type: string; id?: string; code?: string }>(
          ['ack', 'error'],
          (f) => f.type === 'error' || f.key === key,
          // Generous: only a hang fails it. A backup's checkpoint may hold writers back for a while.
          60_000,
        )
        .catch((error: Error) => {
          throw new Error(
            `${error.message} after ${acknowledged.length} acks, socket state ${socket.ws.readyState}`,
          );
        });
      if (answer.type === 'ack' && answer.id) {
        acknowledged.push(answer.id);
        n++;
        // Within the socket's rate limit (LIMITS.framesPerSecond): frames beyond it are refused, and a socket that
        // keeps sending them is closed as a flood.
        await new Promise((resolve) => setTimeout(resolve, 1000 / LIMITS.framesPerSecond + 10));
      } else if (answer.code === 'rate_limited') await new Promise((resolve) => setTimeout(resolve, 1000));
      else throw new Error(`the message was refused: ${JSON.stringify(answer)}`);
    }
  })();
  return {
    acknowledged,
    /** Resolves once `count` messages have been acknowledged. */
    async until(count: number) {
      while (acknowledged.length < count)
        await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 10))]);
    },
    async stop() {
      going = false;
      await loop;
      socket.close();
    },
  };
}

describe('parley backup and restore during a burst of messages', { timeout: 120_000 }, () => {
  it.runIf(testDialect() === 'sqlite' || withPgRestore)(
    'the restored store passes the integrity check and holds every message acknowledged before the backup began',
    async () => {
      const postgres = testDialect() === 'postgres';
      const data = await tempDir();
      let url: string;
      let db: ParleyDb;
      if (postgres) {
        const database = await createTestPostgresDatabase({ seeded: true });
        cleanups.push(database.drop);
        url = database.url;
        db = openStore(url, { poolSize: 4 });
      } else {
        const path = join(data, 'parley.db');
        db = await createTestDatabase({ path });
        url = `file:${path}`;
      }
      cleanups.push(() => closeDatabase(db));
      const server = await startTestServer({ db });
      cleanups.push(() => server.close());
      const burst = await chatter(server.wsUrl);
      cleanups.push(() => burst.stop());
      await burst.until(20);

      const acknowledgedBefore = [...burst.acknowledged];
      const backup = join(await tempDir(), postgres ? 'burst.dump' : 'burst.db');
      await parleyOk(['backup', backup], { DATABASE_URL: url, PARLEY_MAIL_DIR: join(data, 'mail') });
      // The burst goes on after the backup has finished, too.
      await burst.until(burst.acknowledged.length + 5);
      await burst.stop();

      const target = await tempDir();
      let restoredUrl: string;
      if (postgres) {
        const empty = await createTestPostgresDatabase({ migrated: false });
        cleanups.push(empty.drop);
        restoredUrl = empty.url;
      } else restoredUrl = `file:${join(target, 'parley.db')}`;
      await mkdir(join(target, 'mail'), { recursive: true });
      await parleyOk(['restore', backup], {
        DATABASE_URL: restoredUrl,
        PARLEY_MAIL_DIR: join(target, 'mail'),
      });

      const restored = openStore(restoredUrl, { poolSize: 1 });
      cleanups.push(() => closeDatabase(restored));
      if (!postgres) expect(integrityCheck(restored)).toEqual(['ok']);
      const kept = new Set((await readRows(restored, 'messages')).map((m) => m.id));
      expect(acknowledgedBefore.filter((id) => !kept.has(id))).toEqual([]);
    },
  );
});
