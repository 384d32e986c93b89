import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BackupError, backupSqlite, closeDatabase, ledgerKey, sqliteUsedBytes } from '@parley/db';
import { Command } from 'commander';
import { CommandError, openInstallation, settings } from './common.ts';
import { createProgress, type Progress } from './progress.ts';

/** How often the size of a backup being written is looked at, for its progress. */
const POLL_EVERY_MS = 500;

/** The size of `file` so far; 0 before it exists. */
const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** A PostgreSQL client program on PATH, else the newest of the Debian/Ubuntu packages' folders; null when none. */
export function findPgTool(tool: 'pg_dump' | 'pg_restore'): string | null {
  for (const folder of (process.env.PATH ?? '').split(':').filter(Boolean))
    if (existsSync(join(folder, tool))) return join(folder, tool);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', tool)))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin', tool) : null;
}

/** `pg_dump` on PATH, else the newest one of the Debian/Ubuntu packages' folders; null when there is none. */
export const findPgDump = (): string | null => findPgTool('pg_dump');

/**
 * Runs a PostgreSQL client program; its own message when it fails. While it writes `output`, the progress is that
 * file's size, looked at as it grows, with no total: pg_dump says nothing of how far it is.
 */
export function runPgTool(
  path: string,
  args: string[],
  output?: { file: string; progress: Progress },
): Promise<void> {
  const name = basename(path);
  output?.progress.start(undefined, 'bytes', name);
  const poll = output
    ? setInterval(() => output.progress.set(sizeOf(output.file)), POLL_EVERY_MS)
    : undefined;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(path, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new CommandError(`${name} failed: ${stderr.trim() || `exit code ${code}`}`)),
    );
  }).finally(() => {
    if (!output) return;
    clearInterval(poll);
    output.progress.set(sizeOf(output.file));
    output.progress.done();
  });
}

/**
 * Backs the installation up into `file` while it serves: on SQLite with `VACUUM INTO` (one consistent snapshot;
 * writers go on meanwhile), on PostgreSQL with `pg_dump` in its custom format (one snapshot too).
 */
export async function backup(file: string): Promise<void> {
  if (existsSync(file)) throw new CommandError(`${file} exists; name a new file for the backup`);
  const config = settings();
  const db = await openInstallation(config);
  try {
    // RET-4: every backup holds the erasure ledger's key, so that the erasures made after it can be matched once it
    // is restored (the key is made here if no erasure has made it yet).
    await ledgerKey(db);
  } catch (error) {
    await closeDatabase(db);
    throw error;
  }
  if (config.DATABASE_URL.kind === 'postgres') {
    await closeDatabase(db);
    const pgDumpPath = findPgDump();
    if (!pgDumpPath)
      throw new CommandError(
        "pg_dump is not installed: install the PostgreSQL client of your server's version (e.g. apt install postgresql-client) or put pg_dump on PATH",
      );
    await runPgTool(
      pgDumpPath,
      ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${config.DATABASE_URL.url}`],
      { file, progress: createProgress('backup') },
    );
    console.log(`Backed up the PostgreSQL database into ${file} (pg_dump custom format).`);
    return;
  }
  // VACUUM INTO runs in one call that tells nothing until it returns: the progress is its start, with the size the
  // copy will have at most, and its end.
  const progress = createProgress('backup');
  try {
    progress.start(sqliteUsedBytes(db), 'bytes', 'VACUUM INTO');
    backupSqlite(db, file);
    progress.set(sizeOf(file));
    progress.done();
  } catch (error) {
    throw error instanceof BackupError ? new CommandError(error.message) : error;
  } finally {
    await closeDatabase(db);
  }
  console.log(`Backed up ${db.path} into ${file}.`);
}

export const backupCommand = () =>
  new Command('backup')
    .summary('back the store up into a file, while Parley runs')
    .description(
      'Writes a consistent backup of the store DATABASE_URL names into a new FILE, while Parley keeps serving: on SQLite with VACUUM INTO (one snapshot, compact, no free pages with erased data), on PostgreSQL with pg_dump in its custom format (found on PATH or in /usr/lib/postgresql/*/bin). Keep the file as safe as the database: it holds the same personal data.',
    )
    .argument('<file>', 'the backup to write; must not exist yet')
    .action(backup);
