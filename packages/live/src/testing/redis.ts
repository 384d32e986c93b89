import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, installForTests, isRoot } from '@parley/test-services';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis of the test run (see `redis-setup.ts`). */
    parleyRedis: { url: string };
  }
}

/**
 * A Redis for a test run: the one `PARLEY_TEST_REDIS_URL` names (left running), or else a throwaway `redis-server`
 * of its own, on a free port of 127.0.0.1, keeping nothing on disk, stopped by `stop()`.
 */
export interface TestRedisServer {
  readonly url: string;
  /** The `redis-server` process, when this run started it (for its CPU time and memory); unset for one left running. */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** `redis-server`, installed from Debian's package when run as root; otherwise one line saying what to install. */
export function ensureRedisServer(root = isRoot()): string {
  const found = () => spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (found()) return 'redis-server';
  // The package may start a system service on 6379; the tests start their own server and leave that one alone.
  installForTests(
    {
      tests: 'Live-state tests',
      service: 'Redis',
      debianPackage: 'redis-server',
      setting: 'PARLEY_TEST_REDIS_URL',
    },
    root,
  );
  if (!found()) throw new Error('apt-get installed redis-server, but it still cannot be run');
  return 'redis-server';
}

/**
 * A detached shell that waits for this process to end, then stops the server and removes its folder: a test run
 * that is killed leaves no server behind. `stop()` ends the watchdog first.
 */
function startWatchdog(serverPid: number, folder: string): ChildProcess {
  const script =
    'parent=$1; server=$2; folder=$3; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill "$server" 2>/dev/null; rm -rf "$folder"';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(process.pid), String(serverPid), folder], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

/** Resolves once the server answers PING, or rejects if it exits first (its port was taken meanwhile). */
async function whenAnswering(server: ChildProcess, url: string): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it answered`))),
  );
  const answering = (async () => {
    for (;;) {
      const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      redis.on('error', () => {});
      try {
        await redis.connect();
        await redis.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        redis.disconnect();
      }
    }
  })();
  await Promise.race([answering, exited]);
}

/**
 * Starts a throwaway `redis-server` in a temporary folder, on a free port of 127.0.0.1 (or on `port`, to start one
 * again where a stopped one was), keeping nothing on disk.
 */
export async function startThrowawayRedis(options: { port?: number } = {}): Promise<TestRedisServer> {
  const bin = ensureRedisServer();
  for (let attempt = 1; ; attempt++) {
    const folder = mkdtempSync(join(tmpdir(), 'parley-redis-'));
    const port = options.port ?? (await freePort());
    const url = `redis://127.0.0.1:${port}`;
    const server = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder],
      { stdio: 'ignore' },
    );
    const watchdog = server.pid === undefined ? null : startWatchdog(server.pid, folder);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      if (watchdog?.pid) process.kill(watchdog.pid);
      if (server.exitCode === null && server.signalCode === null) {
        const exit = new Promise((resolve) => server.once('exit', resolve));
        server.kill();
        await exit;
      }
      rmSync(folder, { recursive: true, force: true });
    };
    try {
      await whenAnswering(server, url);
      return { url, stop, ...(server.pid === undefined ? {} : { pid: server.pid }) };
    } catch (error) {
      await stop();
      // Another process may take the port between choosing and binding it: choose again.
      if (attempt >= 3 || options.port !== undefined) throw error;
    }
  }
}

/** The Redis `PARLEY_TEST_REDIS_URL` names (left running), or a throwaway one. */
export async function startTestRedis(
  url: string | undefined = process.env.PARLEY_TEST_REDIS_URL,
): Promise<TestRedisServer> {
  if (url) return { url, stop: async () => {} };
  return startThrowawayRedis();
}

/** The URL of the run's Redis, inside a test file. */
export const testRedisUrl = (): string => inject('parleyRedis').url;

/** A key prefix of its own, for one test file or one test: the run's Redis may be shared. */
export const testRedisPrefix = (): string => `parley-test:${randomBytes(6).toString('hex')}:`;

/** Deletes every key that starts with `prefix`: what a test file leaves on a Redis that stays up. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * For one test file: the run's Redis, a key prefix of the file's own, and a connection to use; after the file, the
 * connection closes and every key under the prefix is deleted.
 */
export function redisForTestFile(): { url: string; prefix: string; redis: Redis } {
  const url = testRedisUrl();
  const prefix = testRedisPrefix();
  const redis = new Redis(url);
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisKeys(url, prefix);
  });
  return { url, prefix, redis };
}
