import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, installForTests, isRoot } from '@parley/test-services';

/**
 * A PostgreSQL server for a test run: the one `PARLEY_TEST_DATABASE_URL` names, or else a throwaway cluster of its
 * own, started from the installed binaries in a temporary folder on a free port and removed by `stop()`. `url`
 * reaches its maintenance database (`postgres`), from which each run and test file creates databases of its own.
 */
export interface TestPostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Where `pg_config` or Debian's layout puts `initdb`, `pg_ctl` and `postgres`; the newest version first. */
export function findPostgresBinaries(): string | null {
  const hasAll = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const fromPgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromPgConfig.status === 0 && hasAll(fromPgConfig.stdout.trim())) return fromPgConfig.stdout.trim();
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return null;
  const versions = readdirSync(debian)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (hasAll(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  return null;
}

/** Installs Debian's `postgresql` package when run as root; otherwise says in one line what to install. */
export function ensurePostgresBinaries(found = findPostgresBinaries(), root = isRoot()): string {
  if (found) return found;
  installForTests(
    {
      tests: 'Database tests',
      service: 'PostgreSQL',
      debianPackage: 'postgresql',
      setting: 'PARLEY_TEST_DATABASE_URL',
    },
    root,
  );
  const installed = findPostgresBinaries();
  if (!installed)
    throw new Error('apt-get installed postgresql, but initdb, pg_ctl and postgres are still missing');
  return installed;
}

/** PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user the package creates. */
function asPostgresUser(bin: string): string[] {
  return isRoot() ? ['runuser', '-u', 'postgres', '--', bin] : [bin];
}

function runPostgresProgram(bin: string, args: string[]): void {
  const [command = bin, ...rest] = asPostgresUser(bin);
  const result = spawnSync(command, [...rest, ...args], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${bin} ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
    );
}

/**
 * A detached shell that waits for this process to end, then runs `stopCommand` and removes `root`. A test run that
 * is killed, or crashes before its teardown, so leaves no cluster behind; `stop()` ends the watchdog first.
 */
function startWatchdog(root: string, stopCommand: string[]): ChildProcess {
  const script =
    'parent=$1; root=$2; shift 2; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; "$@"; rm -rf "$root"';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(process.pid), root, ...stopCommand], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

/** A cluster of the test's own, whose files a test may read (as root, or as the user that owns them). */
export interface ThrowawayCluster extends TestPostgresServer {
  /** The cluster's data directory: its tables' files, its WAL. */
  readonly dataDirectory: string;
}

/**
 * Starts a throwaway cluster: `initdb` in a new temporary folder (owned by `postgres` when root), then `postgres` on
 * a free port of 127.0.0.1 with its socket in that folder. Durability is off: the cluster is gone after the run.
 * `settings` go to the server as `-c name=value` after these, so they override them.
 */
export async function startThrowawayCluster(
  options: { settings?: Record<string, string> } = {},
): Promise<ThrowawayCluster> {
  const bin = ensurePostgresBinaries();
  const root = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  if (isRoot()) execFileSync('chown', ['postgres:', root]);
  const data = join(root, 'data');
  try {
    runPostgresProgram(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const pgCtl = (...args: string[]) => runPostgresProgram(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const watchdog = startWatchdog(root, [
    ...asPostgresUser(join(bin, 'pg_ctl')),
    '-D',
    data,
    '-m',
    'immediate',
    'stop',
  ]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (watchdog.pid) process.kill(watchdog.pid);
    if (existsSync(join(data, 'postmaster.pid'))) pgCtl('-m', 'fast', '-w', 'stop');
    rmSync(root, { recursive: true, force: true });
  };
  // Another process may take the port between choosing and binding it: choose again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = Object.entries(options.settings ?? {})
      .map(([name, value]) => ` -c ${name}=${value}`)
      .join('');
    const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off${settings}`;
    try {
      pgCtl('-l', join(root, 'server.log'), '-o', serverOptions, '-w', 'start');
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, dataDirectory: data };
    } catch (error) {
      if (attempt >= 3) {
        await stop();
        throw error;
      }
    }
  }
}

/** The server `PARLEY_TEST_DATABASE_URL` names (left running), or a throwaway cluster. */
export async function startTestPostgres(
  url: string | undefined = process.env.PARLEY_TEST_DATABASE_URL,
): Promise<TestPostgresServer> {
  if (url) return { url, stop: async () => {} };
  return startThrowawayCluster();
}
