import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '@parley/config';
import {
  closeDatabase,
  dropTables,
  type ErasureLedgerEntry,
  holdExclusively,
  integrityCheck,
  isParleyStore,
  type LedgerKey,
  ledgerEntries,
  ledgerKeyFileOf,
  migrate,
  openStore,
  otherParleyConnections,
  type ParleyDb,
  type ReplayReport,
  readKeyFile,
  readLedgerFile,
  replayErasureLedger,
  StoreInUseError,
  storedLedgerKeys,
  tablesIn,
} from '@parley/db';
import { Command } from 'commander';
import { erasureLedgerFileOf, mailFilesOf } from '../bootstrap.ts';
import { locateAssets } from '../paths.ts';
import { findPgTool, runPgTool } from './backup.ts';
import { CommandError, openInstallation, settings, sqlitePath } from './common.ts';
import { createProgress } from './progress.ts';
import { servingPid } from './serving-lock.ts';

/** Erasures known somewhere (a store, the ledger file), with the keys their hashes were made under. */
interface Ledger {
  entries: ErasureLedgerEntry[];
  keys: LedgerKey[];
}

const NO_LEDGER: Ledger = { entries: [], keys: [] };

/** A store's own ledger; none in a store from before the ledger existed. */
async function ledgerOfStore(db: ParleyDb): Promise<Ledger> {
  if (!(await tablesIn(db)).includes('erasure_ledger')) return NO_LEDGER;
  return { entries: await ledgerEntries(db), keys: await storedLedgerKeys(db) };
}

async function ledgerOfFile(file: string): Promise<Ledger> {
  try {
    return { entries: await readLedgerFile(file), keys: await readKeyFile(ledgerKeyFileOf(file)) };
  } catch (error) {
    throw new CommandError(
      `The erasure ledger ${file} cannot be read (${error instanceof Error ? error.message : String(error)}); nothing was restored. Name a readable one with --ledger.`,
    );
  }
}

/**
 * RET-4: erases again in the restored store every visitor and account that the merged ledgers say was erased,
 * and tells the operator what it did (counts only).
 */
async function replay(db: ParleyDb, ledgers: Ledger[]): Promise<ReplayReport> {
  const own = await ledgerOfStore(db);
  const all = [own, ...ledgers];
  const progress = createProgress('restore');
  let started = false;
  const report = await replayErasureLedger(
    db,
    all.flatMap((l) => l.entries),
    {
      keys: all.flatMap((l) => l.keys),
      onVisitorErased: (done, total) => {
        if (!started) progress.start(total, 'visitors', 'erasing again');
        started = true;
        progress.set(done);
      },
    },
  );
  if (started) progress.done();
  console.log(replaySummary(report, 'in the restored store'));
  if (report.unmatchable > 0)
    console.log(
      `${report.unmatchable} erasure${report.unmatchable === 1 ? ' was' : 's were'} made under a key neither the backup nor the ledger's key file holds, and could not be matched; restore with the key file (erasure-ledger.key) beside the ledger.`,
    );
  return report;
}

/** What a replay did, in one line of counts (no ids: they would name nobody, but logs keep nothing of erasures). */
export function replaySummary(report: ReplayReport, where: string): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  return `Replayed the erasure ledger ${where}: ${n(report.entries, 'erasure', 'erasures')} known, ${n(report.visitors, 'visitor', 'visitors')} erased again, ${n(report.accounts, 'account', 'accounts')} closed again.`;
}

/** A time for file names: sortable, without characters a shell or a file system minds. */
const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** The file and the WAL and shared-memory files SQLite keeps beside it. */
const withSidecars = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`];

/**
 * SQLite: checks the backup in a copy beside the database, brings it up to this version, replays the ledgers in it,
 * and only then moves it into place with one rename; the database it replaces is kept aside, never deleted.
 */
async function restoreSqlite(
  config: Config,
  target: string,
  file: string,
  options: RestoreOptions,
): Promise<void> {
  const pid = servingPid(target);
  if (pid !== null)
    throw new CommandError(`Parley is running on ${target} (pid ${pid}); stop it, then restore again.`);
  const replaces = existsSync(target) && statSync(target).size > 0;
  let before = NO_LEDGER;
  if (replaces) {
    if (!options.force)
      throw new CommandError(
        `${target} already holds an installation; pass --force to replace it (it is kept as ${target}.before-restore-<time>).`,
      );
    const current = openStore(`file:${target}`);
    try {
      holdExclusively(current);
      // Erasures made in the installation being replaced, perhaps since the backup: they must not come back.
      before = await ledgerOfStore(current);
    } catch (error) {
      if (error instanceof StoreInUseError)
        throw new CommandError(
          `${target} is open in another process (is Parley running?); stop it, then restore again.`,
        );
      throw error;
    } finally {
      await closeDatabase(current);
    }
  }
  const fromFile = await ledgerOfFile(options.ledger ?? erasureLedgerFileOf(config));

  const time = stamp();
  const incoming = `${target}.restoring-${time}`;
  mkdirSync(dirname(target), { recursive: true });
  const copying = createProgress('restore');
  copying.start(statSync(file).size, 'bytes', 'copy');
  copyFileSync(file, incoming);
  copying.set(statSync(incoming).size);
  copying.done();
  const db = openStore(`file:${incoming}`, { files: { mail: mailFilesOf(config) } });
  try {
    const findings = integrityCheck(db);
    if (findings.join() !== 'ok')
      throw new CommandError(
        `${file} fails SQLite's integrity check (${findings.slice(0, 3).join('; ')}); nothing was restored. Restore another backup.`,
      );
    if (!(await isParleyStore(db)))
      throw new CommandError(
        `${file} is not a Parley backup (no Parley tables in it); nothing was restored.`,
      );
    await migrate(db, locateAssets().assets.migrations);
    await replay(db, [before, fromFile]);
    await closeDatabase(db);
  } catch (error) {
    await closeDatabase(db).catch(() => {});
    for (const path of withSidecars(incoming)) rmSync(path, { force: true });
    throw error;
  }

  if (replaces) {
    const aside = `${target}.before-restore-${time}`;
    for (const [from, to] of withSidecars(target).map((p, i) => [p, withSidecars(aside)[i]!] as const))
      if (existsSync(from)) renameSync(from, to);
    console.log(`The database it replaces is kept as ${aside}.`);
  } else {
    // WAL and shared-memory files of a database that is not there would be applied to the restored one.
    for (const path of withSidecars(target).slice(1)) rmSync(path, { force: true });
  }
  renameSync(incoming, target);
  console.log(`Restored ${file} into ${target}.`);
}

/** The tables of the public schema a pg_dump archive holds, from its table of contents (`pg_restore --list`). */
async function tablesInDump(pgRestore: string, file: string): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)(pgRestore, ['--list', file], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    throw new CommandError(`pg_restore cannot read ${file}: ${error.stderr?.trim() ?? String(error)}`);
  });
  return new Set([...stdout.matchAll(/^\d+; \d+ \d+ TABLE public (\S+) /gm)].map((m) => m[1]!));
}

/**
 * PostgreSQL: refuses while Parley's connections are open on the database or, without --force, while it holds
 * tables; then pg_restore in one transaction (dropping what the backup holds first, with --force), the migrations
 * of this version, and the ledgers replayed.
 */
async function restorePostgres(
  config: Config,
  url: string,
  file: string,
  options: RestoreOptions,
): Promise<void> {
  const pgRestore = findPgTool('pg_restore');
  if (!pgRestore)
    throw new CommandError(
      "pg_restore is not installed: install the PostgreSQL client of your server's version (e.g. apt install postgresql-client) or put pg_restore on PATH",
    );
  const current = openStore(url, { poolSize: 1, applicationName: 'parley restore' });
  let replaces = false;
  let ledgers: Ledger[] = [];
  try {
    const others = await otherParleyConnections(current);
    if (others > 0)
      throw new CommandError(
        `${current.path} has ${others} open connection${others === 1 ? '' : 's'} from Parley (is it running?); stop it, then restore again.`,
      );
    const tables = await tablesIn(current);
    replaces = tables.length > 0;
    if (replaces && !options.force)
      throw new CommandError(
        `${current.path} already holds ${tables.length} tables; pass --force to replace what the backup holds (pg_restore --clean), or restore into an empty database.`,
      );
    const before = await ledgerOfStore(current);
    const fromFile = await ledgerOfFile(options.ledger ?? erasureLedgerFileOf(config));
    // A backup of an older version lacks the tables added since; pg_restore --clean leaves them, and the migrations
    // would then find them in their way. Their rows are newer than the backup: the ledger's were read above.
    const held = await tablesInDump(pgRestore, file);
    // Checked before anything is dropped: a stranger's archive, or one of another schema, would drop every table.
    if (!held.has('accounts'))
      throw new CommandError(
        `${file} is not a Parley backup (no Parley tables in it); nothing was restored.`,
      );
    if (replaces)
      await dropTables(
        current,
        tables.filter((t) => !held.has(t)),
      );
    ledgers = [before, fromFile];
  } finally {
    await closeDatabase(current);
  }
  const restoring = createProgress('restore');
  // pg_restore says nothing of how far it is: the step is its start and its end.
  restoring.start(1, 'archive', 'pg_restore');
  await runPgTool(pgRestore, [
    '--no-owner',
    '--single-transaction',
    ...(replaces ? ['--clean', '--if-exists'] : []),
    `--dbname=${url}`,
    file,
  ]);
  restoring.set(1);
  restoring.done();
  const db = await openInstallation(config);
  try {
    await replay(db, ledgers);
  } finally {
    await closeDatabase(db);
  }
  console.log(`Restored ${file} into ${db.path}.`);
}

interface RestoreOptions {
  force?: boolean;
  ledger?: string;
}

/** RET-4: puts a backup in place of the installation's store, and erases again what was erased since it was taken. */
export async function restore(file: string, options: RestoreOptions): Promise<void> {
  if (!existsSync(file))
    throw new CommandError(`No backup at ${file}; name the file \`parley backup\` wrote.`);
  const config = settings();
  const target = sqlitePath(config);
  if (target !== null) await restoreSqlite(config, target, file, options);
  else if (config.DATABASE_URL.kind === 'postgres')
    await restorePostgres(config, config.DATABASE_URL.url, file, options);
}

export const restoreCommand = () =>
  new Command('restore')
    .summary('put a backup in place of the store, and erase again what was erased since')
    .description(
      [
        'Restores a backup that `parley backup` wrote into the store DATABASE_URL names. Stop Parley first: restore refuses while it runs (on SQLite, while `parley serve` marks the database as served or another process has it open; on PostgreSQL, while Parley has connections to the database).',
        'SQLite: the backup is checked (PRAGMA integrity_check, and that it is a Parley store) in a copy beside the database, brought up to this version, and moved into place with one rename. A database already there is replaced only with --force, and kept as <database>.before-restore-<time>. PostgreSQL: pg_restore (found on PATH or in /usr/lib/postgresql/*/bin) in one transaction into the database; one that holds tables is replaced only with --force (pg_restore --clean --if-exists), so take a backup of it first. Then the migrations of this version are applied.',
        "Erasure survives a restore: every visitor erased, and every account closed, since the backup was taken is erased (closed) again, as the erasure ledger says: the ledger of the store being replaced, the ledger file (with its key file, erasure-ledger.key, beside it), and the backup's own. It prints how many.",
      ].join('\n\n'),
    )
    .argument('<file>', 'the backup: an SQLite file, or pg_dump custom format for PostgreSQL')
    .option('--force', 'replace a store that already holds an installation (SQLite: kept aside, not deleted)')
    .option(
      '--ledger <file>',
      'the erasure ledger file to replay (default: erasure-ledger.jsonl beside the SQLite database, or in the data folder)',
    )
    .action(restore);
