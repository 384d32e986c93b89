import { Redis, type RedisOptions } from 'ioredis';

/** Put before every key and channel, so that several installations can share one Redis. */
export const DEFAULT_REDIS_PREFIX = 'parley:';

/**
 * What a connection reports: its first failure after it worked (not every retry), and each time it is ready again
 * after it dropped (whether or not with an error: a server that closes it says nothing).
 */
export interface ConnectionEvents {
  onError: (error: unknown) => void;
  onRestored?: (() => void) | undefined;
}

/**
 * How long a first connection may take before start-up gives up, and how long a command waits for its reply: a
 * Redis that does not answer must not hold a sign-in or a message for ever.
 */
const CONNECT_TIMEOUT_MS = 5_000;
const COMMAND_TIMEOUT_MS = 10_000;

/**
 * A connection to the Redis `url` names. Nothing waits for it while it is down: a command sent meanwhile fails at
 * once (no offline queue), and one in flight when it drops fails then, instead of being sent again on reconnect.
 * The connection itself comes back on its own, with a backoff of at most two seconds. It is not open until
 * `connect` resolves.
 */
export function redisConnection(url: string, events: ConnectionEvents, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    ...options,
  });
  // Reported once per outage: a Redis that stays away would otherwise fill the log with one line per retry.
  let down = false;
  let wasReady = false;
  redis.on('error', (error: unknown) => {
    // Before it first worked, `connectOrExplain` reports why it could not.
    if (down || !wasReady) return;
    down = true;
    events.onError(error);
  });
  redis.on('ready', () => {
    down = false;
    if (wasReady) events.onRestored?.();
    wasReady = true;
  });
  return redis;
}

/** Where a Redis URL points, without its password: for messages. */
export function redisAddress(url: string): string {
  try {
    const { protocol, hostname, port, pathname } = new URL(url);
    return `${protocol}//${hostname}:${port || '6379'}${pathname === '/' ? '' : pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

/**
 * Opens `redis` now, or fails with one line saying which Redis could not be reached and why: at start-up, a Redis
 * that is not there is a mistake to fix, not a state to wait out.
 */
export async function connectOrExplain(redis: Redis, url: string): Promise<void> {
  // The driver's promise says only that the connection closed; the first error event says why.
  let cause: unknown;
  const remember = (error: unknown) => {
    cause ??= error;
  };
  redis.on('error', remember);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    cause ??= error;
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
    throw new RedisUnreachableError(
      `Redis at ${redisAddress(url)} cannot be reached (${reason}); check that it runs and that this machine may connect to it`,
    );
  } finally {
    redis.off('error', remember);
  }
}

/** Redis was not there at start-up. */
export class RedisUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnreachableError';
  }
}
