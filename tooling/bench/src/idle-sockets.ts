import { execFileSync } from 'node:child_process';
import { startThrowawayRedis } from '@parley/live/testing';
import { GeneratorProcess } from './load/generator-client.ts';
import type { Target } from './load/generator-messages.ts';
import { startParleyWithAccounts } from './parley-fixture.ts';
import { kib, mib, rssOf } from './process-stats.ts';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { type RunningServer, startRelay } from './servers.ts';

/**
 * Memory per idle visitor socket. The server's RSS is read before and after 10,000 visitors have
 * connected and said hello, in Parley, the bare `ws` relay and the Socket.IO relay. A few hundred sockets are
 * opened first and kept, so that one-off costs (code compiled on first use, buffer pools) are not counted.
 */

export const IDLE_SOCKETS = 10_000;
const WARM_UP_SOCKETS = 200;
const SETTLE_MS = 3_000;

function fileLimits(): string {
  try {
    return execFileSync('sh', ['-c', 'echo "$(ulimit -n) soft, $(ulimit -Hn) hard"'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return 'unknown';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `redisPid`: the Redis the server keeps its live state in, whose RSS is read at the same moments (presence and
 * the bus hold something per connected visitor there too).
 */
async function measure(
  server: RunningServer,
  target: Omit<Target, 'visitorsPerAccount' | 'serverPid'>,
  redisPid?: number,
) {
  const warm = new GeneratorProcess();
  const load = new GeneratorProcess();
  try {
    await warm.setup({ ...target, visitorsPerAccount: WARM_UP_SOCKETS }, { idle: true });
    await sleep(SETTLE_MS);
    const before = rssOf(server.pid);
    const redisBefore = redisPid === undefined ? null : rssOf(redisPid);
    const ready = await load.setup(
      { ...target, visitorsPerAccount: IDLE_SOCKETS },
      { idle: true, connectConcurrency: 200 },
    );
    await sleep(SETTLE_MS);
    const after = rssOf(server.pid);
    const redisAfter = redisPid === undefined ? null : rssOf(redisPid);
    return {
      name: target.name,
      before,
      after,
      perSocket: (after - before) / IDLE_SOCKETS,
      redisPerSocket:
        redisBefore === null || redisAfter === null ? null : (redisAfter - redisBefore) / IDLE_SOCKETS,
      setupMs: ready.setupMs,
      errors: ready.errors,
    };
  } finally {
    await load.close();
    await warm.close();
  }
}

export async function runIdleSockets(log: (line: string) => void = console.log) {
  const finish = startResult('idle-sockets');
  const limits = fileLimits();
  log(
    `idle sockets: ${IDLE_SOCKETS} visitors that sent hello; open-file limit for this shell and its children: ${limits}`,
  );
  const results = [];

  // Parley with its live state in its own process, then on Redis (PARLEY_REDIS_URL), as each node of a cluster is.
  for (const onRedis of [false, true]) {
    const redis = onRedis ? await startThrowawayRedis() : null;
    const parley = await startParleyWithAccounts(1, redis ? { env: { PARLEY_REDIS_URL: redis.url } } : {});
    try {
      const account = parley.accounts[0]!;
      results.push(
        await measure(
          parley.server,
          {
            name: redis ? 'Parley on Redis' : 'Parley',
            transport: 'ws',
            baseUrl: parley.server.baseUrl,
            accounts: [{ publicKey: account.publicKey, agentPath: null }],
            visitorHeaders: { origin: 'https://customer.example' },
          },
          redis?.pid,
        ),
      );
    } finally {
      await parley.server.stop();
      await redis?.stop();
      parley.dir.remove();
    }
  }
  for (const kind of ['bare-ws', 'socketio'] as const) {
    const relay = await startRelay(kind);
    try {
      results.push(
        await measure(relay, {
          name: relay.name,
          transport: kind === 'bare-ws' ? 'ws' : 'socketio',
          baseUrl: relay.baseUrl,
          accounts: [{ publicKey: 'pk_idle', agentPath: null }],
        }),
      );
    } finally {
      await relay.stop();
    }
  }

  const bare = results.find((r) => r.name === 'bare ws relay')!;
  log(
    table(
      [
        'server',
        'RSS before (MiB)',
        `RSS with ${IDLE_SOCKETS} more (MiB)`,
        'per socket (KiB)',
        'vs bare ws',
        'redis-server per socket (KiB)',
        'connect time (ms)',
        'errors',
      ],
      results.map((r) => [
        r.name,
        mib(r.before),
        mib(r.after),
        kib(r.perSocket),
        `${round(r.perSocket / bare.perSocket, 2)}×`,
        r.redisPerSocket === null ? '—' : kib(r.redisPerSocket),
        r.setupMs,
        JSON.stringify(r.errors),
      ]),
    ),
  );
  log('(reference measured before: bare ws ≈ 6.7 KB, Socket.IO ≈ 14.5 KB per socket)');
  const parleyResult = results.find((r) => r.name === 'Parley')!;
  const ratio = parleyResult.perSocket / bare.perSocket;
  const verdicts: Verdict[] = [
    {
      benchmark: 'idle sockets',
      metric: 'Parley memory per idle visitor socket',
      value: `${kib(parleyResult.perSocket)} KiB`,
      target: '—',
      met: null,
    },
    ...results
      .filter((r) => r.redisPerSocket !== null)
      .map((r) => ({
        benchmark: 'idle sockets',
        metric: 'Parley on Redis memory per idle visitor socket (server + redis-server)',
        value: `${kib(r.perSocket)} + ${kib(r.redisPerSocket!)} KiB`,
        target: '—',
        met: null,
      })),
    {
      benchmark: 'idle sockets',
      metric: 'bare ws relay memory per idle socket',
      value: `${kib(bare.perSocket)} KiB`,
      target: '—',
      met: null,
    },
    {
      benchmark: 'idle sockets',
      metric: 'Parley / bare ws relay, per idle socket',
      value: `${round(ratio, 2)}×`,
      target: '≤ 1.5×',
      met: ratio <= 1.5,
    },
  ];
  return finish(verdicts, { sockets: IDLE_SOCKETS, limits, results });
}

if (isMain(import.meta.url)) await runIdleSockets();
