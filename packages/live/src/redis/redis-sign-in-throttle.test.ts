import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS } from '../sign-in-throttle.ts';
import { deleteRedisKeys, redisForTestFile, testRedisPrefix } from '../testing/redis.ts';
import { RedisSignInThrottle } from './redis-sign-in-throttle.ts';

const { url, prefix, redis } = redisForTestFile();

describe('the Redis sign-in throttle', () => {
  it('SEC-1: two nodes share the counts: attempts on one are refused on the other', async () => {
    const clock = { now: 1_000_000 };
    const other = new Redis(url);
    const one = new RedisSignInThrottle({ redis, prefix, now: () => clock.now });
    const two = new RedisSignInThrottle({ redis: other, prefix, now: () => clock.now });
    try {
      const address = '203.0.113.7';
      const verdicts = await Promise.all(
        Array.from({ length: SIGN_IN_LIMITS.addressBurst + 4 }, (_, i) =>
          (i % 2 ? one : two).reserve({ email: `p${i}@acme.test`, address }),
        ),
      );
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(SIGN_IN_LIMITS.addressBurst);
      expect(await one.reserve({ email: 'q@acme.test', address })).toMatchObject({ limitedBy: 'address' });
      // A success on one node gives the address its attempt back on the other.
      await two.record({ email: 'p0@acme.test', address }, 'succeeded');
      expect(await one.reserve({ email: 'q@acme.test', address })).toEqual({ allowed: true });

      const email = 'adam@acme.test';
      for (let i = 0; i < SIGN_IN_LIMITS.emailFreeFailures; i++)
        expect(await (i % 2 ? one : two).reserve({ email })).toEqual({ allowed: true });
      expect(await one.reserve({ email })).toEqual({
        allowed: false,
        limitedBy: 'email',
        retryAfterMs: SIGN_IN_LIMITS.emailBaseDelayMs,
      });
    } finally {
      other.disconnect();
    }
  });

  it('keeps no key longer than its rule remembers it', async () => {
    const own = testRedisPrefix();
    const throttle = new RedisSignInThrottle({ redis, prefix: own, now: () => 1_000_000 });
    await throttle.reserve({ email: 'adam@acme.test', address: '203.0.113.7' });
    const addressTtl = await redis.pttl(`${own}sign-in:address:203.0.113.7`);
    const emailTtl = await redis.pttl(`${own}sign-in:email:adam@acme.test`);
    expect(addressTtl).toBeGreaterThan(0);
    expect(addressTtl).toBeLessThanOrEqual(SIGN_IN_LIMITS.addressRefillMs);
    expect(emailTtl).toBeGreaterThan(SIGN_IN_LIMITS.forgetAfterMs - 60_000);
    expect(emailTtl).toBeLessThanOrEqual(SIGN_IN_LIMITS.forgetAfterMs + 1);
    await throttle.record({ email: 'adam@acme.test', address: '203.0.113.7' }, 'succeeded');
    expect(
      await redis.exists(`${own}sign-in:address:203.0.113.7`, `${own}sign-in:email:adam@acme.test`),
    ).toBe(0);
    await deleteRedisKeys(url, own);
  });
});
