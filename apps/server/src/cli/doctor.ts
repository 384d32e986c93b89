import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { type Config, ConfigError, fromCwd, loadConfig } from '@parley/config';
import {
  closeDatabase,
  erasureSettings,
  openStore,
  type ParleyDb,
  pendingMigrations,
  storeClock,
} from '@parley/db';
import { Command } from 'commander';
import { locateAssets } from '../paths.ts';
import { CommandError, sqlitePath, storeUrl } from './common.ts';

/** One finding: `fail` is something to fix before Parley runs as promised, `warn` something to know. */
export interface Finding {
  level: 'ok' | 'warn' | 'fail';
  /** One line: what was checked, and when it is not ok, what is wrong and what to do. */
  text: string;
}

/** Less free space than this where the state lives fails the check: SQLite needs room to checkpoint and vacuum. */
const MIN_FREE_BYTES = 1024 ** 3;
/** How far the clock may be from the database server's before sessions, retention and codes are off. */
const MAX_CLOCK_SKEW_MS = 30_000;
const SMTP_TIMEOUT_MS = 5_000;

const ok = (text: string): Finding => ({ level: 'ok', text });
const warn = (text: string): Finding => ({ level: 'warn', text });
const fail = (text: string): Finding => ({ level: 'fail', text });

/** The store: reachable, and migrated to this version. */
async function checkStore(config: Config): Promise<{ findings: Finding[]; db: ParleyDb | null }> {
  const path = sqlitePath(config);
  if (path !== null && !existsSync(path))
    return {
      findings: [
        fail(
          `store: no database at ${path}; start Parley once or run \`parley migrate\`, or set DATABASE_URL`,
        ),
      ],
      db: null,
    };
  const db = openStore(storeUrl(config), { poolSize: 1 });
  try {
    const pending = await pendingMigrations(db, locateAssets().assets.migrations);
    return {
      findings: [
        ok(`store: ${db.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} at ${db.path} answers`),
        pending.length === 0
          ? ok('store: migrated to this version')
          : fail(
              `store: ${pending.length} migrations pending (${pending.join(', ')}); run \`parley migrate\``,
            ),
      ],
      db,
    };
  } catch (error) {
    await closeDatabase(db).catch(() => {});
    return {
      findings: [
        fail(
          `store: cannot be read (${error instanceof Error ? error.message : String(error)}); check DATABASE_URL and that the database server runs`,
        ),
      ],
      db: null,
    };
  }
}

/** Whether a TCP connection to host:port opens within the timeout. */
const reachable = (host: string, port: number): Promise<string | null> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: SMTP_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${SMTP_TIMEOUT_MS / 1000} s`);
    });
    socket.once('error', (error) => resolve(error.message));
  });

async function checkMail(config: Config): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (!config.PARLEY_MAIL_FROM)
    findings.push(
      warn('mail: PARLEY_MAIL_FROM is not set; set the address Parley sends from, on your own domain'),
    );
  if (!config.SMTP_URL) {
    const folder = fromCwd(config.PARLEY_MAIL_DIR);
    findings.push(
      warn(
        `mail: SMTP_URL is not set, so mail is only written to files in ${folder}; set SMTP_URL to send it`,
      ),
    );
    return findings;
  }
  const url = new URL(config.SMTP_URL);
  const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 587));
  const problem = await reachable(url.hostname, port);
  findings.push(
    problem === null
      ? ok(`mail: the relay ${url.hostname}:${port} accepts connections`)
      : fail(
          `mail: the relay ${url.hostname}:${port} cannot be reached (${problem}); check SMTP_URL and the firewall`,
        ),
  );
  return findings;
}

/** Free space where the state lives: the SQLite file's folder and the mail folder. */
function checkDisk(config: Config): Finding[] {
  const path = sqlitePath(config);
  const folders = [...new Set([...(path === null ? [] : [dirname(path)]), fromCwd(config.PARLEY_MAIL_DIR)])];
  return folders.map((folder) => {
    let at = folder;
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
    try {
      accessSync(at, constants.W_OK);
    } catch {
      return fail(`disk: ${at} is not writable by this user; give the user running Parley write access`);
    }
    const stats = statfsSync(at);
    const free = stats.bavail * stats.bsize;
    const shown = `${(free / 1024 ** 3).toFixed(1)} GiB`;
    return free < MIN_FREE_BYTES
      ? fail(
          `disk: only ${shown} free at ${at}; free space there (Parley needs at least 1 GiB to checkpoint and vacuum)`,
        )
      : ok(`disk: ${shown} free at ${at}`);
  });
}

/** The clock: not before this version was made, and on PostgreSQL close to the database server's. */
async function checkClock(db: ParleyDb | null): Promise<Finding[]> {
  const now = Date.now();
  if (new Date(now).getUTCFullYear() < 2025)
    return [fail(`clock: it says ${new Date(now).toISOString()}; set the system clock (e.g. enable NTP)`)];
  if (db?.dialect !== 'postgres') return [ok(`clock: ${new Date(now).toISOString()}`)];
  const skew = Math.abs((await storeClock(db)) - now);
  return [
    skew > MAX_CLOCK_SKEW_MS
      ? fail(
          `clock: ${Math.round(skew / 1000)} s from the PostgreSQL server's; synchronise both (NTP): sessions, retention and sign-in codes depend on it`,
        )
      : ok(`clock: within ${Math.round(skew)} ms of the PostgreSQL server's`),
  ];
}

/** PostgreSQL's settings that decide whether erased data lingers after erasure (RET-4). */
async function checkErasureSettings(db: ParleyDb): Promise<Finding[]> {
  const setting = new Map(Object.entries(await erasureSettings(db)));
  const findings: Finding[] = [];
  findings.push(
    setting.get('autovacuum') === 'on' && setting.get('track_counts') === 'on'
      ? ok('postgres: autovacuum is on, so space of erased rows is reused')
      : fail(
          'postgres: autovacuum (or track_counts) is off, so erased rows stay in the table files until a manual VACUUM; set autovacuum = on and track_counts = on',
        ),
  );
  if (setting.get('archive_mode') === 'on')
    findings.push(
      warn(
        'postgres: archive_mode is on: WAL archives keep erased data for as long as they are kept; keep them no longer than the policy says backups are kept',
      ),
    );
  else findings.push(ok('postgres: archive_mode is off, so no WAL archive keeps erased data'));
  if (setting.get('wal_level') === 'logical')
    findings.push(
      warn(
        'postgres: wal_level is logical: a replication slot may hold WAL with erased data; drop slots nobody reads (pg_replication_slots)',
      ),
    );
  else findings.push(ok(`postgres: wal_level is ${setting.get('wal_level')}`));
  findings.push(
    ok(
      `postgres: full_page_writes is ${setting.get('full_page_writes')} (whole page images in the WAL are recycled after each checkpoint)`,
    ),
  );
  return findings;
}

/** Every check, in order; the configuration first, since the others need it. */
export async function diagnose(
  environment: Record<string, string | undefined> = process.env,
): Promise<Finding[]> {
  let config: Config;
  try {
    config = loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => fail(`settings: ${problem}`));
    throw error;
  }
  const findings: Finding[] = [ok('settings: valid')];
  const store = await checkStore(config);
  findings.push(...store.findings);
  try {
    findings.push(...(await checkMail(config)), ...checkDisk(config), ...(await checkClock(store.db)));
    if (store.db?.dialect === 'postgres') findings.push(...(await checkErasureSettings(store.db)));
  } finally {
    if (store.db) await closeDatabase(store.db);
  }
  return findings;
}

export async function doctor(): Promise<void> {
  const findings = await diagnose();
  const marks = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
  for (const finding of findings) console.log(`${marks[finding.level]}  ${finding.text}`);
  const failed = findings.filter((f) => f.level === 'fail').length;
  if (failed > 0) throw new CommandError(`${failed} problem${failed === 1 ? '' : 's'} to fix (FAIL above).`);
}

export const doctorCommand = () =>
  new Command('doctor')
    .summary('check the installation and say what to fix')
    .description(
      'Checks that the settings are valid, the store answers and is migrated, mail can go out, there is free disk space where the state lives, the clock is sane and, on PostgreSQL, the settings that decide whether erased data lingers (autovacuum, archive_mode, wal_level, full_page_writes). Prints one line per check: ok, warn or FAIL with what to fix. Exits with 1 when anything FAILs. Changes nothing.',
    )
    .action(doctor);
