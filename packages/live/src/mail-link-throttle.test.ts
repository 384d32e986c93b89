import { describe, expect, it } from 'vitest';
import { InMemoryMailLinkThrottle } from './mail-link-throttle.ts';
import { RedisMailLinkThrottle } from './redis/redis-mail-link-throttle.ts';
import { mailLinkThrottleSuite } from './testing/mail-link-suite.ts';
import { redisForTestFile } from './testing/redis.ts';

const { redis, prefix } = redisForTestFile();
let throttles = 0;

// Every implementation of the throttle runs the same cases, each with a clock the test moves.
mailLinkThrottleSuite('in memory', (now) => new InMemoryMailLinkThrottle({ now }));
mailLinkThrottleSuite(
  'redis',
  (now) => new RedisMailLinkThrottle({ redis, prefix: `${prefix}${++throttles}:`, now }),
);

describe('RET-2: the in-memory mail-link throttle', () => {
  it('RET-2: forgets the least recently used entries past its maximum, which only lets someone ask sooner', async () => {
    const throttle = new InMemoryMailLinkThrottle({ limits: { emailBurst: 1, maxEntries: 2 }, now: () => 0 });
    for (const email of ['a@x.test', 'b@x.test', 'c@x.test']) await throttle.take({ email });
    expect((await throttle.take({ email: 'a@x.test' })).allowed).toBe(true);
    expect((await throttle.take({ email: 'c@x.test' })).allowed).toBe(false);
  });

  it('RET-2: refuses limits that would let nothing through', () => {
    expect(() => new InMemoryMailLinkThrottle({ limits: { emailBurst: 0 } })).toThrow(RangeError);
  });
});
