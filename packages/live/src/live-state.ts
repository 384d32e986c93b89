import { type Bus, InProcessBus } from './bus.ts';
import { InMemoryMailLinkThrottle, type MailLinkThrottle } from './mail-link-throttle.ts';
import { InProcessPresence, type Presence, type PresenceOptions } from './presence.ts';
import { connectOrExplain, DEFAULT_REDIS_PREFIX, redisAddress, redisConnection } from './redis/connection.ts';
import { connectionName, quit, RedisBus } from './redis/redis-bus.ts';
import { RedisMailLinkThrottle } from './redis/redis-mail-link-throttle.ts';
import { RedisPresence } from './redis/redis-presence.ts';
import { RedisSignInThrottle } from './redis/redis-sign-in-throttle.ts';
import { RedisWindowCounter } from './redis/redis-window-counter.ts';
import { InMemorySignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
import { SIGN_UP_LIMITS } from './sign-up-limits.ts';
import { InMemoryWindowCounter, type WindowCounter } from './window-counter.ts';

export interface LiveStateOptions {
  /** `redis://` or `rediss://`: the state is shared by every node using it. Unset: this process's memory. */
  redisUrl?: string | undefined;
  /** Put before every Redis key and channel, so that several installations can share one Redis; `parley:`. */
  prefix?: string | undefined;
  /** A bus handler that threw, a heartbeat or lapse check that failed, a Redis connection that dropped. */
  onError: (error: unknown) => void;
  /** Told where the state lives, and when a dropped connection to Redis is back. */
  log?: { info(message: string): void } | undefined;
}

/** The bus, presence and throttles of one node, in one place or the other. */
export interface LiveState<M> {
  kind: 'in-process' | 'redis';
  bus: Bus<M>;
  /** Builds the node's presence; the caller closes it (before `close()`, which closes any still open). */
  presence(options: PresenceOptions): Presence;
  throttle: SignInThrottle;
  /** How often links may be asked for by mail (a password reset). */
  mailLinks: MailLinkThrottle;
  /** COL-1: sign-ups per client address and email, with the sign-up limits. */
  signups: SignInThrottle;
  /** SEC-1: events per key in windows of time, such as the new conversations an account is asked for each minute. */
  windows: WindowCounter;
  /** Closes the bus, every presence built, and the connections to Redis. */
  close(): Promise<void>;
  /**
   * Resolves when the live state answers, rejects when it does not within `LIVE_PING_TIMEOUT_MS`: at once in one
   * process's memory; on Redis, a PING on the connection presence and the throttles use. For readiness checks.
   */
  ping(): Promise<void>;
}

/** How long `ping` waits for Redis: a node whose Redis takes longer is not ready to serve. */
export const LIVE_PING_TIMEOUT_MS = 2_000;

/**
 * Opens the live state a node shares with the others: on Redis when `redisUrl` is given (connected now, or failing
 * with one line naming the Redis that could not be reached), else in this process's memory.
 */
export async function openLiveState<M>(options: LiveStateOptions): Promise<LiveState<M>> {
  const { redisUrl, onError, log } = options;
  if (!redisUrl) {
    const bus = new InProcessBus<M>(onError);
    return {
      kind: 'in-process',
      bus,
      presence: (presenceOptions) => new InProcessPresence(presenceOptions),
      throttle: new InMemorySignInThrottle(),
      mailLinks: new InMemoryMailLinkThrottle(),
      signups: new InMemorySignInThrottle({ limits: SIGN_UP_LIMITS }),
      windows: new InMemoryWindowCounter(),
      close: () => bus.close(),
      ping: () => Promise.resolve(),
    };
  }

  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  // Presence and the throttle share one connection for their commands; the bus has its own two.
  const commands = redisConnection(
    redisUrl,
    { onError, onRestored: () => log?.info(`The connection to Redis at ${redisAddress(redisUrl)} is back`) },
    { connectionName: connectionName(prefix, 'commands') },
  );
  await connectOrExplain(commands, redisUrl);
  let bus: RedisBus<M>;
  try {
    bus = await RedisBus.open<M>({ url: redisUrl, prefix, onError });
  } catch (error) {
    await quit(commands);
    throw error;
  }
  log?.info(
    `Live state (bus, presence, sign-in throttle) on Redis at ${redisAddress(redisUrl)}, keys ${prefix}*`,
  );
  const presences = new Set<RedisPresence>();
  let closing: Promise<void> | null = null;
  return {
    kind: 'redis',
    bus,
    presence(presenceOptions) {
      const presence = new RedisPresence({ ...presenceOptions, redis: commands, prefix, onError });
      presences.add(presence);
      return presence;
    },
    throttle: new RedisSignInThrottle({ redis: commands, prefix }),
    mailLinks: new RedisMailLinkThrottle({ redis: commands, prefix }),
    signups: new RedisSignInThrottle({
      redis: commands,
      prefix: `${prefix}sign-up:`,
      limits: SIGN_UP_LIMITS,
    }),
    windows: new RedisWindowCounter({ redis: commands, prefix }),
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Redis at ${redisAddress(redisUrl)} did not answer within ${LIVE_PING_TIMEOUT_MS} ms`,
              ),
            ),
          LIVE_PING_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([commands.ping(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...presences].map((presence) => presence.close()));
        await bus.close();
        await quit(commands);
      })();
      return closing;
    },
  };
}
