import { describe, expect, it } from 'vitest';
import { RedisSignInThrottle } from './redis/redis-sign-in-throttle.ts';
import {
  addressKey,
  InMemorySignInThrottle,
  SIGN_IN_LIMITS,
  type SignInThrottle,
  throttledMessage,
  throttledSignIn,
} from './sign-in-throttle.ts';
import { redisForTestFile } from './testing/redis.ts';

const { redis, prefix } = redisForTestFile();
let throttles = 0;

// Every implementation of the throttle runs the same cases, each with a clock the test moves.
const implementations: Array<[string, (now: () => number) => SignInThrottle]> = [
  ['in memory', (now) => new InMemorySignInThrottle({ now })],
  // Each throttle under keys of its own, as if it were the only one.
  ['redis', (now) => new RedisSignInThrottle({ redis, prefix: `${prefix}${++throttles}:`, now })],
];

describe.each(implementations)('SEC-1: the sign-in throttle (%s)', (_name, newThrottle) => {
  const setup = () => {
    const clock = { now: 1_000_000 };
    return { throttle: newThrottle(() => clock.now), clock };
  };
  const { addressBurst, addressRefillMs, emailFreeFailures, emailBaseDelayMs, emailMaxDelayMs } =
    SIGN_IN_LIMITS;

  it('SEC-1: reserves attempts as they arrive: past the address burst, the rest are refused at once', async () => {
    const { throttle } = setup();
    const verdicts = await Promise.all(
      Array.from({ length: addressBurst + 5 }, (_, i) =>
        throttle.reserve({ email: `person${i}@acme.test`, address: '203.0.113.7' }),
      ),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(addressBurst);
    expect(verdicts.slice(addressBurst)).toEqual(
      Array(5).fill({ allowed: false, limitedBy: 'address', retryAfterMs: addressRefillMs }),
    );
    expect(await throttle.reserve({ email: 'new@acme.test', address: '198.51.100.1' })).toEqual({
      allowed: true,
    });
  });

  it('SEC-1: the address refills one attempt per interval, and a success gives its attempt back', async () => {
    const { throttle, clock } = setup();
    const address = '203.0.113.7';
    for (let i = 0; i < addressBurst; i++) await throttle.reserve({ email: `p${i}@acme.test`, address });
    expect((await throttle.reserve({ email: 'x@acme.test', address })).allowed).toBe(false);
    clock.now += addressRefillMs;
    expect((await throttle.reserve({ email: 'x@acme.test', address })).allowed).toBe(true);
    expect((await throttle.reserve({ email: 'y@acme.test', address })).allowed).toBe(false);
    await throttle.record({ email: 'x@acme.test', address }, 'succeeded');
    expect((await throttle.reserve({ email: 'y@acme.test', address })).allowed).toBe(true);
  });

  it('SEC-1: an email gets free failures, then a delay that doubles with each failure up to the maximum', async () => {
    const { throttle, clock } = setup();
    const attempt = (n: number) => ({ email: 'adam@acme.test', address: `192.0.2.${n}` });
    for (let i = 0; i < emailFreeFailures; i++) {
      expect(await throttle.reserve(attempt(i))).toEqual({ allowed: true });
      await throttle.record(attempt(i), 'failed');
    }
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const verdict = await throttle.reserve(attempt(100 + i));
      if (verdict.allowed) throw new Error('expected the email to be held back');
      expect(verdict.limitedBy).toBe('email');
      waits.push(verdict.retryAfterMs);
      clock.now += verdict.retryAfterMs;
      expect(await throttle.reserve(attempt(100 + i))).toEqual({ allowed: true });
      await throttle.record(attempt(100 + i), 'failed');
    }
    expect(waits.slice(0, 3)).toEqual([emailBaseDelayMs, 2 * emailBaseDelayMs, 4 * emailBaseDelayMs]);
    expect(Math.max(...waits)).toBe(emailMaxDelayMs);
  });

  it('SEC-1: a delay, never a lock-out: once it has passed, the right password gets in and clears the count', async () => {
    const { throttle, clock } = setup();
    const guesser = { email: 'olivia@acme.test', address: '203.0.113.7' };
    const owner = { email: 'olivia@acme.test', address: '198.51.100.1' };
    for (let failures = 0; failures < 20; ) {
      const verdict = await throttle.reserve(guesser);
      if (!verdict.allowed) {
        clock.now += verdict.retryAfterMs;
        continue;
      }
      await throttle.record(guesser, 'failed');
      failures++;
    }
    const held = await throttle.reserve(owner);
    if (held.allowed) throw new Error('expected the owner to wait');
    expect(held.retryAfterMs).toBeLessThanOrEqual(emailMaxDelayMs);
    clock.now += held.retryAfterMs;
    expect(await throttle.reserve(owner)).toEqual({ allowed: true });
    await throttle.record(owner, 'succeeded');
    expect(await throttle.reserve(owner)).toEqual({ allowed: true });
  });

  it('forgets an email an hour after its last attempt', async () => {
    const { throttle, clock } = setup();
    const attempt = { email: 'adam@acme.test' };
    for (let i = 0; i <= emailFreeFailures; i++) await throttle.reserve(attempt);
    expect((await throttle.reserve(attempt)).allowed).toBe(false);
    clock.now += SIGN_IN_LIMITS.forgetAfterMs + 1;
    expect((await throttle.reserve(attempt)).allowed).toBe(true);
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['[::FFFF:203.0.113.7]', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::5', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'not an address'],
  ])('SEC-1: limits %s under %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('SEC-1: stepping through one IPv6 /64 does not buy new attempts', async () => {
    const throttle = new InMemorySignInThrottle({ now: () => 0 });
    const verdicts = [];
    for (let i = 1; i <= SIGN_IN_LIMITS.addressBurst + 1; i++)
      verdicts.push(
        await throttle.reserve({ email: `p${i}@acme.test`, address: `2001:db8:1:2::${i.toString(16)}` }),
      );
    expect(verdicts.at(-1)).toMatchObject({ allowed: false, limitedBy: 'address' });
    expect(await throttle.reserve({ email: 'q@acme.test', address: '2001:db8:1:3::1' })).toEqual({
      allowed: true,
    });
  });
});

describe('throttledSignIn', () => {
  const address = '203.0.113.7';
  const newThrottle = () => new InMemorySignInThrottle({ now: () => 0 });

  it('SEC-1: checks the password only for allowed attempts, however many arrive at once', async () => {
    const throttle = newThrottle();
    let checks = 0;
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        throttledSignIn(throttle, { email: `p${i}@acme.test`, address }, async () => {
          checks++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return null;
        }),
      ),
    );
    expect(checks).toBe(SIGN_IN_LIMITS.addressBurst);
    expect(results.filter((r) => r.outcome === 'wrong')).toHaveLength(SIGN_IN_LIMITS.addressBurst);
    expect(results.filter((r) => r.outcome === 'throttled')).toHaveLength(15 - SIGN_IN_LIMITS.addressBurst);
  });

  it('counts a check that throws as a failed attempt', async () => {
    const throttle = newThrottle();
    const attempt = { email: 'adam@acme.test' };
    for (let i = 0; i < SIGN_IN_LIMITS.emailFreeFailures; i++)
      await expect(
        throttledSignIn(throttle, attempt, () => Promise.reject(new Error('database is down'))),
      ).rejects.toThrow('database is down');
    expect(await throttledSignIn(throttle, attempt, async () => 'agent')).toMatchObject({
      outcome: 'throttled',
    });
  });

  it('says what holds the attempt back and for how long', () => {
    expect(throttledMessage({ limitedBy: 'address', retryAfterMs: 29_001 })).toBe(
      'Too many sign-in attempts from your network. Try again in 30 seconds.',
    );
    expect(throttledMessage({ limitedBy: 'email', retryAfterMs: 1000 })).toBe(
      'Too many wrong passwords for this email address. Try again in 1 second.',
    );
    expect(throttledMessage({ limitedBy: 'email', retryAfterMs: 5 * 60_000 })).toBe(
      'Too many wrong passwords for this email address. Try again in 5 minutes.',
    );
  });

  it('refuses limits that would let nobody in', () => {
    expect(() => new InMemorySignInThrottle({ limits: { addressBurst: 0 } })).toThrow(RangeError);
  });
});
