import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { PRESENCE_GRACE_MS, type PresenceChange } from '../presence.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { presenceSuite } from '../testing/presence-suite.ts';
import { redisForTestFile, startThrowawayRedis } from '../testing/redis.ts';
import { RedisPresence } from './redis-presence.ts';

const { url, prefix: filePrefix, redis } = redisForTestFile();

let installations = 0;
/** A key prefix for one installation: the suite's cases reuse account and agent ids. */
const installation = () => `${filePrefix}${++installations}:`;

const failOnError = (error: unknown) => {
  throw error;
};

presenceSuite('redis', async (options) => {
  const presence = new RedisPresence({ ...options, redis, prefix: installation(), onError: failOnError });
  return { presence, settle: () => presence.checkLapses() };
});

describe('the Redis presence of several nodes', () => {
  /** Two nodes of one installation, each with its own connection, on one clock the test moves. */
  const twoNodes = () => {
    const clock = new ManualClock(1_000_000);
    const prefix = installation();
    const lapses: Array<{ node: 'a' | 'b'; accountId: string; change: PresenceChange }> = [];
    const connections: Redis[] = [];
    const node = (name: 'a' | 'b') => {
      const connection = new Redis(url);
      connections.push(connection);
      return new RedisPresence({
        clock,
        redis: connection,
        prefix,
        onError: failOnError,
        onLapse: (accountId, change) => lapses.push({ node: name, accountId, change }),
      });
    };
    const a = node('a');
    const b = node('b');
    /** Moves the clock, then waits for both nodes' heartbeats and lapse checks. */
    const advance = async (ms: number) => {
      clock.advance(ms);
      await Promise.all([a.checkLapses(), b.checkLapses()]);
    };
    const close = async () => {
      await Promise.all([a.close(), b.close()]);
      for (const connection of connections) connection.disconnect();
    };
    return { a, b, advance, lapses, close, prefix };
  };

  it('an agent connected on one node counts on the other; when that node crashes, one lapse is reported, on the other', async () => {
    const { a, b, advance, lapses, close } = twoNodes();
    expect(await a.connect('acc', 'ana', true)).toEqual({ before: 0, after: 1 });
    expect(await b.count('acc')).toBe(1);
    expect(await b.isOnline('acc', 'ana')).toBe(true);
    expect(await b.isConnected('acc', 'ana')).toBe(true);

    // Heartbeats keep the agent there for as long as node A runs.
    await advance(3 * PRESENCE_GRACE_MS);
    expect(await b.count('acc')).toBe(1);
    expect(lapses).toEqual([]);

    // A crashes: its timers stop, nothing is cleaned up.
    await a.close();
    await advance(PRESENCE_GRACE_MS);
    expect(lapses).toEqual([{ node: 'b', accountId: 'acc', change: { before: 1, after: 0 } }]);
    expect(await b.count('acc')).toBe(0);
    expect(await b.isConnected('acc', 'ana')).toBe(false);
    await close();
  });

  it('a lapse is reported once, by one of the nodes that both check', async () => {
    const { a, b, advance, lapses, close } = twoNodes();
    await a.connect('acc', 'ana', true);
    await b.connect('acc', 'bo', true);
    await a.disconnect('acc', 'ana', { grace: true });
    await advance(PRESENCE_GRACE_MS);
    expect(lapses.map(({ accountId, change }) => ({ accountId, change }))).toEqual([
      { accountId: 'acc', change: { before: 2, after: 1 } },
    ]);
    expect(await a.count('acc')).toBe(1);
    await close();
  });

  it('"away" chosen on one node applies to the agent’s socket on the other, and its heartbeat keeps it', async () => {
    const { a, b, advance, close } = twoNodes();
    await b.connect('acc', 'ana', true);
    expect(await a.setOnline('acc', 'ana', false)).toEqual({ before: 1, after: 0 });
    expect(await b.isOnline('acc', 'ana')).toBe(false);
    await advance(2 * PRESENCE_GRACE_MS);
    expect(await b.count('acc')).toBe(0);
    expect(await a.isConnected('acc', 'ana')).toBe(true);
    expect(await a.setOnline('acc', 'ana', true)).toEqual({ before: 0, after: 1 });
    expect(await b.count('acc')).toBe(1);
    await close();
  });

  it('signing out on one node ends the grace period another node’s dropped socket left', async () => {
    const { a, b, close } = twoNodes();
    await a.connect('acc', 'ana', true);
    await b.connect('acc', 'ana', true);
    await a.disconnect('acc', 'ana', { grace: true });
    expect(await b.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 0 });
    await close();
  });

  it('an agent removed on one node is not brought back by the heartbeat of another that still held a socket', async () => {
    const { a, b, advance, close } = twoNodes();
    await b.connect('acc', 'ana', true);
    expect(await a.remove('acc', 'ana')).toEqual({ before: 1, after: 0 });
    await advance(PRESENCE_GRACE_MS);
    expect(await b.count('acc')).toBe(0);
    // B forgot the socket it held: its close changes nothing, and a new one counts from one.
    expect(await b.disconnect('acc', 'ana', { grace: true })).toEqual({ before: 0, after: 0 });
    await b.connect('acc', 'ana', true);
    expect(await b.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 0 });
    await close();
  });

  it('leaves no key behind once every agent is gone', async () => {
    const { a, b, advance, close, prefix } = twoNodes();
    await a.connect('acc', 'ana', true);
    await b.expectBack('acc', 'bo');
    await a.disconnect('acc', 'ana', { grace: true });
    await advance(PRESENCE_GRACE_MS);
    expect(await a.count('acc')).toBe(0);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toEqual([]);
    await close();
  });

  it('a node whose Redis restarted without its data brings back the agents it holds sockets of, and says so', async () => {
    const first = await startThrowawayRedis();
    const port = Number(new URL(first.url).port);
    // As the live state connects: nothing queued while Redis is away, reconnecting on its own.
    const connection = new Redis(first.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 20,
    });
    connection.on('error', () => {});
    await connection.connect();
    const clock = new ManualClock(1_000_000);
    const lapses: Array<{ accountId: string; change: PresenceChange }> = [];
    const errors: unknown[] = [];
    const node = new RedisPresence({
      clock,
      redis: connection,
      prefix: installation(),
      onError: (error) => errors.push(error),
      onLapse: (accountId, change) => lapses.push({ accountId, change }),
    });
    let second: Awaited<ReturnType<typeof startThrowawayRedis>> | null = null;
    try {
      await node.connect('acc', 'ana', true);
      await first.stop();
      await vi.waitFor(() => expect(connection.status).not.toBe('ready'), { timeout: 15_000 });
      // The heartbeat meanwhile fails.
      clock.advance(PRESENCE_GRACE_MS / 3);
      await node.checkLapses();
      expect(errors.length).toBeGreaterThan(0);

      second = await startThrowawayRedis({ port });
      await vi.waitFor(() => expect(connection.status).toBe('ready'), { timeout: 15_000 });
      expect(await node.count('acc')).toBe(0);
      clock.advance(PRESENCE_GRACE_MS / 3);
      await node.checkLapses();
      expect(lapses).toEqual([{ accountId: 'acc', change: { before: 0, after: 1 } }]);
      expect(await node.count('acc')).toBe(1);
      expect(await node.isConnected('acc', 'ana')).toBe(true);
    } finally {
      await node.close();
      connection.disconnect();
      await first.stop();
      await second?.stop();
    }
  });
});
