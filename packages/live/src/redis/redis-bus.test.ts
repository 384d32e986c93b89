import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { busSuite } from '../testing/bus-suite.ts';
import { deleteRedisKeys, startThrowawayRedis, testRedisPrefix, testRedisUrl } from '../testing/redis.ts';
import { connectionName, RedisBus } from './redis-bus.ts';

const url = testRedisUrl();
const prefix = testRedisPrefix();
afterAll(() => deleteRedisKeys(url, prefix));

const eventually = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 10 });

busSuite('redis', {
  node: (onError) => RedisBus.open({ url, prefix, onError }),
  shared: true,
});

/** Ends the connections whose name CLIENT LIST shows as `name`, from a connection of the test's own. */
async function killConnections(name: string): Promise<number> {
  const admin = new Redis(url);
  try {
    const clients = String(await admin.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` name=${name} `));
    for (const line of clients) await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]!);
    return clients.length;
  } finally {
    admin.disconnect();
  }
}

describe('the Redis bus', () => {
  it('after its subscribing connection was killed, subscribes again, says so, and delivers again', async () => {
    // A prefix of its own, so that the connection killed is this test's only.
    const own = testRedisPrefix();
    const errors: unknown[] = [];
    const bus = await RedisBus.open<{ n: number }>({ url, prefix: own, onError: (e) => errors.push(e) });
    const publisher = new Redis(url);
    const publish = (n: number) => publisher.publish(`${own}chat:1`, JSON.stringify({ n }));
    const seen: number[] = [];
    let resumed = 0;
    bus.onResumed(() => resumed++);
    await bus.subscribe('chat:1', (m) => seen.push(m.n));
    await publish(1);
    await eventually(() => expect(seen).toEqual([1]));

    expect(await killConnections(connectionName(own, 'bus-subscriber'))).toBe(1);
    await eventually(() => expect(resumed).toBe(1));
    await publish(2);
    await eventually(() => expect(seen).toEqual([1, 2]));
    publisher.disconnect();
    await bus.close();
    expect(errors).toEqual([]);
  });

  it('unsubscribes from Redis when the last local handler of a topic ends', async () => {
    const own = testRedisPrefix();
    const bus = await RedisBus.open<{ n: number }>({ url, prefix: own, onError: () => {} });
    const end1 = await bus.subscribe('t', () => {});
    const end2 = await bus.subscribe('t', () => {});
    const observer = new Redis(url);
    const subscribers = async () => Number((await observer.pubsub('NUMSUB', `${own}t`))[1]);
    try {
      expect(await subscribers()).toBe(1);
      end1();
      end1();
      expect(await subscribers()).toBe(1);
      end2();
      await eventually(async () => expect(await subscribers()).toBe(0));
    } finally {
      observer.disconnect();
      await bus.close();
    }
  });

  it('publish rejects while Redis cannot be reached, instead of waiting for it', async () => {
    const server = await startThrowawayRedis();
    const bus = await RedisBus.open<{ n: number }>({ url: server.url, prefix, onError: () => {} });
    try {
      await bus.publish('t', { n: 1 });
      await server.stop();
      await expect(bus.publish('t', { n: 2 })).rejects.toThrow();
      await expect(bus.publish('t', { n: 3 })).rejects.toThrow();
    } finally {
      await server.stop();
      await bus.close();
    }
  });

  it('fails to open with one line naming the Redis it could not reach', async () => {
    const server = await startThrowawayRedis();
    await server.stop();
    await expect(RedisBus.open({ url: server.url, onError: () => {} })).rejects.toThrow(
      `Redis at ${server.url} cannot be reached (ECONNREFUSED)`,
    );
  });
});
