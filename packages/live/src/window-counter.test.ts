import { RedisWindowCounter } from './redis/redis-window-counter.ts';
import { redisForTestFile } from './testing/redis.ts';
import { windowCounterSuite } from './testing/window-counter-suite.ts';
import { InMemoryWindowCounter } from './window-counter.ts';

const { redis, prefix } = redisForTestFile();
let counters = 0;

// Every implementation of the counter runs the same cases, each with a clock the test moves.
windowCounterSuite('in memory', (now) => new InMemoryWindowCounter({ now }));
windowCounterSuite(
  'redis',
  (now) => new RedisWindowCounter({ redis, prefix: `${prefix}${++counters}:`, now }),
);
