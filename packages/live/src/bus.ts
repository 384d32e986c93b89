/**
 * How messages travel between the sockets of one installation: publish to a topic, and every subscriber of that
 * topic, on every node, receives the message.
 *
 * Messages are plain JSON (no functions, dates or class instances): on Redis they cross the network as text. A
 * subscriber must not assume it receives its own publications synchronously, nor that it receives everything: a
 * bus that lost its connection drops what was published meanwhile, and says so through `onResumed`, so that those
 * who rely on it catch up from the store.
 */
export interface Bus<M> {
  /** Sends `message` to the topic's subscribers on every node; rejects when it could not be sent. */
  publish(topic: string, message: M): Promise<void>;
  /**
   * Resolves once the subscription is live: anything published after that reaches `handler`. The function it
   * resolves to ends the subscription.
   */
  subscribe(topic: string, handler: (message: M) => void): Promise<() => void>;
  /**
   * `listener` runs each time the subscriptions come back after an interruption (the connection to Redis dropped
   * and was made again). What was published in between is lost. Returns what removes the listener.
   */
  onResumed(listener: () => void): () => void;
  close(): Promise<void>;
}

type Handler<M> = (message: M) => void;

/**
 * One topic's subscribers. Most topics (a visitor's chat) have a single one, kept as it is rather than in a set.
 * Unsubscribing goes through this record, so the only copy of the topic's name kept is the one here.
 */
interface Subscribers<M> {
  readonly topic: string;
  handlers: Handler<M> | Set<Handler<M>>;
}

/**
 * A map of topics to handlers, the whole bus of a single process and the local fan-out of a shared one: a Redis
 * bus subscribes to each topic once per node and hands what arrives to this.
 */
export class TopicHandlers<M> {
  readonly #topics = new Map<string, Subscribers<M>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Delivers to every handler of the topic; a handler that throws does not stop the others. */
  deliver(topic: string, message: M): void {
    const handlers = this.#topics.get(topic)?.handlers;
    if (typeof handlers === 'function') this.#call(handlers, message);
    else if (handlers) for (const handler of [...handlers]) this.#call(handler, message);
  }

  #call(handler: Handler<M>, message: M): void {
    try {
      handler(message);
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Adds a handler; `first` is true when the topic had none before. The returned function removes it and
   * answers true when that left the topic without any.
   */
  add(topic: string, handler: Handler<M>): { first: boolean; remove: () => boolean } {
    let subscribers = this.#topics.get(topic);
    const first = !subscribers;
    if (!subscribers) {
      subscribers = { topic, handlers: handler };
      this.#topics.set(topic, subscribers);
    } else if (subscribers.handlers instanceof Set) subscribers.handlers.add(handler);
    else if (subscribers.handlers !== handler)
      subscribers.handlers = new Set([subscribers.handlers, handler]);
    const added = subscribers;
    return { first, remove: () => this.#remove(added, handler) };
  }

  #remove(subscribers: Subscribers<M>, handler: Handler<M>): boolean {
    const { handlers } = subscribers;
    const emptied =
      handlers instanceof Set ? handlers.delete(handler) && handlers.size === 0 : handlers === handler;
    if (!emptied || this.#topics.get(subscribers.topic) !== subscribers) return false;
    this.#topics.delete(subscribers.topic);
    return true;
  }

  has(topic: string): boolean {
    return this.#topics.has(topic);
  }

  topics(): IterableIterator<string> {
    return this.#topics.keys();
  }

  clear(): void {
    this.#topics.clear();
  }

  get size(): number {
    return this.#topics.size;
  }
}

/** The default bus: one process, where publishing is delivering; it never loses its subscriptions. */
export class InProcessBus<M> implements Bus<M> {
  readonly #handlers: TopicHandlers<M>;

  constructor(onError: (error: unknown) => void = () => {}) {
    this.#handlers = new TopicHandlers(onError);
  }

  async publish(topic: string, message: M): Promise<void> {
    this.#handlers.deliver(topic, message);
  }

  async subscribe(topic: string, handler: Handler<M>): Promise<() => void> {
    const { remove } = this.#handlers.add(topic, handler);
    return () => {
      remove();
    };
  }

  onResumed(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }

  /** Topics with at least one subscriber; for tests. */
  get topicCount(): number {
    return this.#handlers.size;
  }
}
