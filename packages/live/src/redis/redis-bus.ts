import type { Redis } from 'ioredis';
import { type Bus, TopicHandlers } from '../bus.ts';
import { connectOrExplain, DEFAULT_REDIS_PREFIX, redisConnection } from './connection.ts';

export interface RedisBusOptions {
  /** `redis://` or `rediss://`. */
  url: string;
  /** Put before every channel; `parley:` by default. */
  prefix?: string | undefined;
  /** A handler that threw, a message that was not JSON, a connection that failed. */
  onError: (error: unknown) => void;
}

/** The name a connection shows in CLIENT LIST, so that an operator sees whose it is. */
export const connectionName = (prefix: string, role: string) => `${prefix}${role}`.replace(/[^\w:.-]/g, '_');

/**
 * The bus of several nodes, on Redis pub/sub. Each node keeps one subscribing connection, subscribed once to each
 * topic it has local handlers for (the local fan-out is a `TopicHandlers`), and one publishing connection.
 *
 * The subscriptions are made again by this class, not by the driver, after the subscribing connection came back: it
 * then knows when they are live again, and only then tells the `onResumed` listeners.
 */
export class RedisBus<M> implements Bus<M> {
  readonly #handlers: TopicHandlers<M>;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #onError: (error: unknown) => void;
  readonly #resumed = new Set<() => void>();
  /** SUBSCRIBE commands not yet confirmed, by topic: a second handler of the topic waits for the first's. */
  readonly #pending = new Map<string, Promise<void>>();
  #closing: Promise<void> | null = null;

  /** Connects both connections, or fails with one line saying why. */
  static async open<M>(options: RedisBusOptions): Promise<RedisBus<M>> {
    const bus = new RedisBus<M>(options);
    try {
      await Promise.all([
        connectOrExplain(bus.#publisher, options.url),
        connectOrExplain(bus.#subscriber, options.url),
      ]);
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  private constructor(options: RedisBusOptions) {
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#onError = options.onError;
    this.#handlers = new TopicHandlers(options.onError);
    this.#publisher = redisConnection(
      options.url,
      { onError: options.onError },
      { connectionName: connectionName(this.#prefix, 'bus-publisher') },
    );
    this.#subscriber = redisConnection(
      options.url,
      { onError: options.onError, onRestored: () => void this.#resubscribe() },
      { connectionName: connectionName(this.#prefix, 'bus-subscriber'), autoResubscribe: false },
    );
    this.#subscriber.on('message', (channel: string, text: string) => this.#receive(channel, text));
  }

  async publish(topic: string, message: M): Promise<void> {
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(message));
  }

  async subscribe(topic: string, handler: (message: M) => void): Promise<() => void> {
    if (this.#closing) throw new Error('The bus is closed');
    const { first, remove } = this.#handlers.add(topic, handler);
    const end = () => {
      if (remove()) this.#unsubscribe(topic);
    };
    if (first) {
      const confirmed = this.#subscriber.subscribe(this.#prefix + topic).then(() => {});
      this.#pending.set(topic, confirmed);
      const settled = () => {
        if (this.#pending.get(topic) === confirmed) this.#pending.delete(topic);
      };
      confirmed.then(settled, settled);
    }
    try {
      await this.#pending.get(topic);
    } catch (error) {
      end();
      throw error;
    }
    return end;
  }

  onResumed(listener: () => void): () => void {
    this.#resumed.add(listener);
    return () => {
      this.#resumed.delete(listener);
    };
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#handlers.clear();
      this.#resumed.clear();
      await Promise.all([quit(this.#publisher), quit(this.#subscriber)]);
    })();
    return this.#closing;
  }

  #receive(channel: string, text: string): void {
    if (!channel.startsWith(this.#prefix)) return;
    let message: M;
    try {
      message = JSON.parse(text) as M;
    } catch (error) {
      this.#onError(error);
      return;
    }
    this.#handlers.deliver(channel.slice(this.#prefix.length), message);
  }

  #unsubscribe(topic: string): void {
    // Offline, there is nothing to undo: the subscriptions made again on reconnect are those with handlers.
    if (this.#subscriber.status === 'ready')
      this.#subscriber.unsubscribe(this.#prefix + topic).catch(this.#onError);
  }

  /**
   * The subscribing connection is back: subscribes again to every topic with handlers, then tells the listeners.
   * If it drops again first, its next return does both.
   */
  async #resubscribe(): Promise<void> {
    if (this.#closing) return;
    const channels = [...this.#handlers.topics()].map((topic) => this.#prefix + topic);
    try {
      if (channels.length > 0) await this.#subscriber.subscribe(...channels);
    } catch (error) {
      this.#onError(error);
      return;
    }
    for (const listener of [...this.#resumed]) {
      try {
        listener();
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

/** Ends a connection politely when it is up, at once otherwise. */
export async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
