import { afterAll, describe, expect, it, vi } from 'vitest';
import { openLiveState } from './live-state.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { deleteRedisKeys, startThrowawayRedis, testRedisPrefix, testRedisUrl } from './testing/redis.ts';

const url = testRedisUrl();
const prefix = testRedisPrefix();
afterAll(() => deleteRedisKeys(url, prefix));

const onError = (error: unknown) => {
  throw error;
};

describe('openLiveState', () => {
  it('without a Redis URL, keeps the state in this process', async () => {
    const live = await openLiveState<{ n: number }>({ onError });
    expect(live.kind).toBe('in-process');
    const seen: number[] = [];
    await live.bus.subscribe('t', (m) => seen.push(m.n));
    await live.bus.publish('t', { n: 1 });
    expect(seen).toEqual([1]);
    await live.close();
  });

  it('with one, two nodes share the bus, presence and throttle', async () => {
    const messages: string[] = [];
    const [one, two] = await Promise.all(
      [1, 2].map(() =>
        openLiveState<{ n: number }>({
          redisUrl: url,
          prefix,
          onError,
          log: { info: (m) => messages.push(m) },
        }),
      ),
    );
    expect([one!.kind, two!.kind]).toEqual(['redis', 'redis']);
    expect(messages[0]).toBe(
      `Live state (bus, presence, sign-in throttle) on Redis at ${url}, keys ${prefix}*`,
    );

    const seen: number[] = [];
    await two!.bus.subscribe('t', (m) => seen.push(m.n));
    await one!.bus.publish('t', { n: 1 });
    await vi.waitFor(() => expect(seen).toEqual([1]), { timeout: 15_000 });

    const clock = new ManualClock();
    const presence = (live: typeof one) => live!.presence({ clock, onLapse: () => {} });
    await presence(one).connect('acc', 'ana', true);
    expect(await presence(two).count('acc')).toBe(1);

    for (let i = 0; i < 5; i++) await one!.throttle.reserve({ email: 'adam@acme.test' });
    expect(await two!.throttle.reserve({ email: 'adam@acme.test' })).toMatchObject({ allowed: false });
    // A window far longer than the test, so that both events fall in the same one whatever the time.
    const forever = 10 ** 15;
    expect(await one!.windows.take('acc', 1, forever)).toBe(true);
    expect(await two!.windows.take('acc', 1, forever)).toBe(false);

    // Closing also closes the presences built, whose timers would otherwise use a closed connection.
    await Promise.all([one!.close(), two!.close()]);
  });

  it('fails at once, in one line, when Redis cannot be reached', async () => {
    const server = await startThrowawayRedis();
    await server.stop();
    await expect(
      openLiveState({ redisUrl: `${server.url.replace('//', '//:hunter2@')}`, onError }),
    ).rejects.toThrow(
      new RegExp(`^Redis at ${server.url} cannot be reached \\(ECONNREFUSED\\); check that it runs`),
    );
  });
});
