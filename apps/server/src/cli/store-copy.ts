import { existsSync } from 'node:fs';
import { DatabaseUrl } from '@parley/config';
import {
  type CopyProgress,
  closeDatabase,
  copyStore,
  holdExclusively,
  ledgerEntries,
  ledgerKeyFileOf,
  migrate,
  openDatabase,
  openStore,
  readKeyFile,
  readLedgerFile,
  replayErasureLedger,
  StoreInUseError,
} from '@parley/db';
import { Command, InvalidArgumentError } from 'commander';
import { erasureLedgerFileOf, mailFilesOf } from '../bootstrap.ts';
import { locateAssets } from '../paths.ts';
import { CommandError, settings, sqlitePath } from './common.ts';
import { createProgress, type Progress } from './progress.ts';
import { replaySummary } from './restore.ts';

/**
 * Each table's progress on standard error (a bar on a terminal, JSON lines otherwise), and a line on standard output
 * for each table verified: the copy's report.
 */
function progressPrinter(progress: Progress): (step: CopyProgress) => void {
  const width = 24;
  let table = '';
  return (step) => {
    if (step.step === 'copying') {
      if (step.table !== table) progress.start(step.total, 'rows', step.table);
      table = step.table;
      progress.set(step.copied);
      if (step.copied === step.total) progress.done();
    } else {
      console.log(
        `verified ${step.table.padEnd(width)} ${String(step.rows).padStart(9)} rows  sha256 ${step.checksum}`,
      );
    }
  };
}

/** `--to`: a PostgreSQL URL, or the usage. */
function postgresUrl(value: string): string {
  const target = DatabaseUrl.safeParse(value);
  if (!target.success || target.data.kind !== 'postgres')
    throw new InvalidArgumentError(
      '--to must be a PostgreSQL URL: postgres://user:password@host:5432/database',
    );
  return target.data.url;
}

/**
 * Moves an installation from its SQLite file into a new PostgreSQL database: every table, verified by row count
 * and checksum, in one transaction that commits only when every table matches.
 */
export async function storeCopy(options: { to: string; ledger?: string }): Promise<void> {
  const targetUrl = options.to;
  /** The target as printed: its password never reaches a terminal or a log. */
  const shownTarget = (() => {
    const url = new URL(targetUrl);
    if (url.password) url.password = '***';
    return url.toString();
  })();

  const config = settings();
  const source = sqlitePath(config);
  if (source === null)
    throw new CommandError(
      'DATABASE_URL already names a PostgreSQL database; store-copy copies an SQLite installation into one',
    );
  if (!existsSync(source))
    throw new CommandError(`No database at ${source}. Set DATABASE_URL to the SQLite file to copy.`);

  const db = openDatabase(source);
  try {
    // Detected by the file's locks: every connection to a WAL-mode database, such as a running server's, holds a
    // shared lock while it is open, and an exclusive one is refused until all are closed.
    holdExclusively(db);
  } catch (error) {
    await closeDatabase(db).catch(() => {});
    if (error instanceof StoreInUseError)
      throw new CommandError(
        `${source} is open in another process (is Parley running?); stop Parley, then copy again.`,
      );
    throw error;
  }

  const started = Date.now();
  try {
    const { migrations } = locateAssets().assets;
    await migrate(db, migrations);
    console.log(`Copying ${source} into ${shownTarget}`);
    const report = await copyStore({
      from: db,
      to: targetUrl,
      onProgress: progressPrinter(createProgress('store-copy')),
      migrations: migrations.postgres,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Copied ${report.rows} rows in ${report.tables.length} tables in ${seconds} s; every table's row count and checksum match.`,
    );
  } catch (error) {
    // A StoreCopyError says what to fix (a non-empty target, a value PostgreSQL refused, a table that differs); the
    // driver's own errors (the server unreachable, a password refused) say it as well.
    throw new CommandError(`Nothing was copied: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await closeDatabase(db);
  }
  // The copy is committed: a replay that fails from here on says so, and the copy stays complete.
  await replayInCopy(targetUrl, options.ledger ?? erasureLedgerFileOf(config), config);
  console.log(`To run Parley on it, set DATABASE_URL=${shownTarget} (with its password) and start Parley.`);
}

/**
 * RET-4: the copy holds the source's erasure ledger; erasures the ledger file knows and the source's store does not
 * (a source restored by hand from an older file) are replayed in the copy, so that they do not come back there.
 */
async function replayInCopy(
  targetUrl: string,
  ledgerFile: string,
  config: ReturnType<typeof settings>,
): Promise<void> {
  const target = openStore(targetUrl, { poolSize: 1, files: { mail: mailFilesOf(config) } });
  try {
    const report = await replayErasureLedger(
      target,
      [...(await ledgerEntries(target)), ...(await readLedgerFile(ledgerFile))],
      { keys: await readKeyFile(ledgerKeyFileOf(ledgerFile)) },
    );
    console.log(replaySummary(report, 'in the copy'));
  } finally {
    await closeDatabase(target);
  }
}

export const storeCopyCommand = () =>
  new Command('store-copy')
    .summary('move an SQLite installation into PostgreSQL')
    .description(
      [
        "Copies this installation's SQLite database (the file DATABASE_URL or PARLEY_CONFIG names, as for the server) into an empty PostgreSQL database, then checks that every table holds as many rows on both sides and the same checksum (sha256 over the rows in primary-key order).",
        'Stop Parley first: the copy refuses to run while another process has the SQLite file open, and keeps it to itself until it ends, so that no server starts meanwhile. The schema of the file is brought up to this version first, as starting the server would; its data is not changed. Migrations are applied to the target; the copy refuses a target whose Parley tables hold any row, and commits nothing unless every table verifies, so a failed copy can simply be run again. Mail files (PARLEY_MAIL_DIR) stay where they are.',
        'The erasure ledger travels with the copy, and what the ledger file (erasure-ledger.jsonl beside the SQLite file, or --ledger) says was erased is erased again in the copy.',
        'Then set DATABASE_URL to the PostgreSQL URL and start Parley.',
      ].join('\n\n'),
    )
    .requiredOption(
      '--to <url>',
      'the PostgreSQL database to copy into (postgres://user:password@host:5432/database); created beforehand (CREATE DATABASE), and empty',
      postgresUrl,
    )
    .option(
      '--ledger <file>',
      'the erasure ledger file to replay in the copy (default: the one beside the SQLite file)',
    )
    .action(storeCopy);
