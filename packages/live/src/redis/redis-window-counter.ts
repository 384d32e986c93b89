import type { Redis } from 'ioredis';
import { checkWindow, type WindowCounter, windowOf } from '../window-counter.ts';
import { DEFAULT_REDIS_PREFIX } from './connection.ts';
import { LuaScript } from './lua-script.ts';

/**
 * Counts in one step on Redis, so that events arriving at once on several nodes are counted one after the other.
 * KEYS: the key's counter for the current window. ARGV: how long it is kept (two windows, so a clock a little
 * behind on another node still finds it). Answers the count, this event included.
 */
const TAKE = new LuaScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`);

/** The window counter of several nodes, on Redis: an event on one node counts on all. Keys expire after two windows. */
export class RedisWindowCounter implements WindowCounter {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(options: { redis: Redis; prefix?: string | undefined; now?: () => number }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#now = options.now ?? Date.now;
  }

  async take(key: string, limit: number, windowMs: number): Promise<boolean> {
    checkWindow(limit, windowMs);
    const window = windowOf(this.#now(), windowMs);
    const count = (await TAKE.run(
      this.#redis,
      [`${this.#prefix}window:${key}:${window}`],
      [2 * windowMs],
    )) as number;
    return count <= limit;
  }
}
