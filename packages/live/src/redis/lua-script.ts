import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

type Argument = string | number;

/**
 * A Lua script Redis runs atomically: sent by its hash (EVALSHA), and in full only when Redis does not know it yet
 * (after its start, or a SCRIPT FLUSH).
 *
 * The scripts build some keys from their arguments rather than receiving them all as KEYS, so they need one Redis
 * (with or without replicas), not Redis Cluster.
 */
export class LuaScript {
  readonly #sha: string;

  constructor(readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly Argument[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
