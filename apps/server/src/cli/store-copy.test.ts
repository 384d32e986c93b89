import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classification, closeDatabase, openDatabase, openStore } from '@parley/db';
import { countRows, createTestDatabase, FIXTURE } from '@parley/db/testing';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@parley/db/testing/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { parleyProcess, splitProgress } from './parley-process.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stopped installation: the seeded fixture in an SQLite file. */
async function installation(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-store-copy-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'parley.db');
  await closeDatabase(await createTestDatabase({ path }));
  return path;
}

async function target(options: { migrated?: boolean } = {}): Promise<TestPostgresDatabase> {
  const database = await createTestPostgresDatabase(options);
  cleanups.push(database.drop);
  return database;
}

const storeCopy = (args: string[], databasePath = '/nonexistent/parley.db') =>
  parleyProcess(['store-copy', ...args], { DATABASE_URL: `file:${databasePath}` });

describe('store-copy', { timeout: 60_000 }, () => {
  it('copies a stopped installation into an empty PostgreSQL database and prints each table verified', async () => {
    const path = await installation();
    const into = await target({ migrated: false });
    const result = await storeCopy(['--to', into.url], path);
    const { progress, rest } = splitProgress(result.stderr);
    expect(rest.trim()).toBe('');
    expect(result.code).toBe(0);
    // Not a terminal: each table's progress as JSON lines on standard error, the last of each table complete.
    const lastOf = new Map(progress.map((line) => [line.step, line]));
    expect(lastOf.get('messages')).toMatchObject({ job: 'store-copy', unit: 'rows' });
    for (const line of lastOf.values()) expect(line.done).toBe(line.total);

    const source = openDatabase(path);
    cleanups.push(() => closeDatabase(source));
    const verified = new Map(
      [...result.stdout.matchAll(/^verified (\S+) +(\d+) rows {2}sha256 ([0-9a-f]{64})$/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );
    // Every table of the schema (each is classified), none left out.
    const tables = Object.keys(classification).length;
    expect(verified.size).toBe(tables);
    expect(verified.get('messages')).toBe(await countRows(source, 'messages'));
    expect(verified.get('accounts')).toBe(await countRows(source, 'accounts'));
    await closeDatabase(source);
    const total = [...verified.values()].reduce((a, b) => a + b, 0);
    expect(result.stdout).toContain(`Copied ${total} rows in ${tables} tables`);

    const again = await storeCopy(['--to', into.url], path);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Nothing was copied: the target database already holds Parley data/);
  });

  it('RET-4: replays the erasure ledger in the copy: a visitor the ledger file says was erased is not copied back', async () => {
    const path = await installation();
    const settings = { DATABASE_URL: `file:${path}` };
    const anna = FIXTURE.visitors.anna;
    const backup = `${path}.backup`;
    expect((await parleyProcess(['backup', backup], settings)).code).toBe(0);
    const erased = await parleyProcess(
      ['erase-visitor', '--account', FIXTURE.accounts.acme.id, '--chat-id', anna.chatId, '--yes'],
      settings,
    );
    expect(erased.code).toBe(0);
    // The file put back by hand, as an operator might without parley restore: Anna is in it again.
    for (const sidecar of ['-wal', '-shm']) await rm(`${path}${sidecar}`, { force: true });
    await copyFile(backup, path);

    const into = await target({ migrated: false });
    const result = await storeCopy(['--to', into.url], path);
    expect(splitProgress(result.stderr).rest).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Replayed the erasure ledger in the copy: 1 erasure known, 1 visitor erased again',
    );
    const copy = openStore(into.url, { poolSize: 1 });
    cleanups.push(() => closeDatabase(copy));
    expect(await countRows(copy, 'visitors', { id: anna.id })).toBe(0);
    expect(await countRows(copy, 'visitors', { id: FIXTURE.visitors.ben.id })).toBe(1);
    expect(await countRows(copy, 'erasureLedger')).toBe(1);
  });

  it('refuses while another process, such as a running server, has the SQLite file open', async () => {
    const path = await installation();
    const server = openDatabase(path);
    await countRows(server, 'accounts');
    const into = await target();
    const result = await storeCopy(['--to', into.url], path);
    await closeDatabase(server);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `${path} is open in another process (is Parley running?); stop Parley, then copy again.`,
    );
    // Once the server has stopped, the same copy runs: the refusal left the target untouched.
    const retried = await storeCopy(['--to', into.url], path);
    expect(retried.code).toBe(0);
  });

  it('never prints the password of the target URL', async () => {
    const path = await installation();
    const into = new URL((await target()).url);
    into.username ||= 'postgres';
    into.password = 'hunter2-secret';
    const result = await storeCopy(['--to', into.toString()], path);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(':***@');
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2-secret');
  });

  it.each([
    [[], "required option '--to <url>' not specified"],
    [['--to', 'file:./other.db'], '--to must be a PostgreSQL URL'],
    [['--to', 'postgres://'], '--to must be a PostgreSQL URL'],
    [['--to', 'postgres://127.0.0.1:1/none', '--from', 'x'], "unknown option '--from'"],
  ])('refuses %j with the usage', async (args, message) => {
    const result = await storeCopy(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: parley store-copy [options]');
  });

  it('refuses a source file that does not exist, and explains itself with --help', async () => {
    const missing = await storeCopy(['--to', 'postgres://127.0.0.1:1/none'], '/nonexistent/parley.db');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'No database at /nonexistent/parley.db. Set DATABASE_URL to the SQLite file to copy.',
    );
    const help = await storeCopy(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: parley store-copy \[options\]/);
    expect(help.stdout).toContain('--to <url>');
    expect(help.stdout).toContain('Stop Parley first: the copy refuses to run while another process');
  });
});
