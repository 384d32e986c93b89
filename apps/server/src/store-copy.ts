import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, DatabaseUrl, fromCwd, loadConfig } from '@parley/config';
import {
  type CopyProgress,
  closeDatabase,
  copyStore,
  holdExclusively,
  migrate,
  openDatabase,
  StoreInUseError,
} from '@parley/db';
import { locateAssets } from './paths.ts';

// `pnpm --filter @parley/server store-copy --to postgres://…` moves an installation from its SQLite file into a new
// PostgreSQL database: every table, verified by row count and checksum, in one transaction that commits only when
// every table matches. The source is the file the server's settings name (DATABASE_URL, PARLEY_CONFIG).

const HELP = `Usage: store-copy --to postgres://user:password@host:5432/database

Copies this installation's SQLite database (the file DATABASE_URL or PARLEY_CONFIG names, as for the server)
into an empty PostgreSQL database, then checks that every table holds as many rows on both sides and the same
checksum (sha256 over the rows in primary-key order).

  --to <url>   the PostgreSQL database to copy into; created beforehand (CREATE DATABASE), and empty
  --help       shows this

Stop Parley first: the copy refuses to run while another process has the SQLite file open, and keeps it to
itself until it ends, so that no server starts meanwhile. The file's schema is brought up to this version first,
as starting the server would; its data is not changed. Migrations are applied to the target; the copy refuses a
target whose Parley tables hold any row, and commits nothing unless every table verifies, so a failed copy can
simply be run again. Mail files (PARLEY_MAIL_DIR) stay where they are.

Then set DATABASE_URL to the PostgreSQL URL and start Parley.`;

function fail(message: string, usage = false): never {
  console.error(usage ? `${message}\n\n${HELP}` : message);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { to: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), true);
  }
})();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (!values.to) fail('--to is required', true);
const target = DatabaseUrl.safeParse(values.to);
if (!target.success || target.data.kind !== 'postgres')
  fail('--to must be a PostgreSQL URL: postgres://user:password@host:5432/database', true);
const targetUrl = target.data.url;
/** The target as printed: its password never reaches a terminal or a log. */
const shownTarget = (() => {
  const url = new URL(targetUrl);
  if (url.password) url.password = '***';
  return url.toString();
})();

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(`Parley's settings are not valid: ${error.message}`);
    throw error;
  }
})();
const location = config.DATABASE_URL;
if (location.kind !== 'sqlite')
  fail('DATABASE_URL already names a PostgreSQL database; store-copy copies an SQLite installation into one');
const source = fromCwd(location.path);
if (!existsSync(source)) fail(`No database at ${source}. Set DATABASE_URL to the SQLite file to copy.`);

const db = openDatabase(source);
try {
  // Detected by the file's locks: every connection to a WAL-mode database, such as a running server's, holds a
  // shared lock while it is open, and an exclusive one is refused until all are closed.
  holdExclusively(db);
} catch (error) {
  await closeDatabase(db).catch(() => {});
  if (error instanceof StoreInUseError)
    fail(`${source} is open in another process (is Parley running?); stop Parley, then copy again.`);
  throw error;
}

const width = 24;
const started = Date.now();
let reported = '';
const onProgress = (progress: CopyProgress) => {
  if (progress.step === 'copying') {
    // A line when a table starts and when it is done, and one per 100,000 rows of the large ones.
    if (progress.copied === 0) console.log(`copying ${progress.table} (${progress.total} rows)`);
    else if (progress.copied === progress.total || progress.copied % 100_000 < 1_000) {
      const line = `  ${progress.table}: ${progress.copied}/${progress.total}`;
      if (line !== reported) console.log(line);
      reported = line;
    }
  } else {
    console.log(
      `verified ${progress.table.padEnd(width)} ${String(progress.rows).padStart(9)} rows  sha256 ${progress.checksum}`,
    );
  }
};

try {
  const { migrations } = locateAssets().assets;
  await migrate(db, migrations);
  console.log(`Copying ${source} into ${shownTarget}`);
  const report = await copyStore({ from: db, to: targetUrl, onProgress, migrations: migrations.postgres });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Copied ${report.rows} rows in ${report.tables.length} tables in ${seconds} s; every table's row count and checksum match.`,
  );
  console.log(`To run Parley on it, set DATABASE_URL=${shownTarget} (with its password) and start Parley.`);
} catch (error) {
  // A StoreCopyError says what to fix (a non-empty target, a value PostgreSQL refused, a table that differs); the
  // driver's own errors (the server unreachable, a password refused) say it as well.
  console.error(`Nothing was copied: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase(db);
}
