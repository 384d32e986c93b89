/**
 * How frames travel between sockets: publish to a topic, and every subscriber of that topic receives the message.
 *
 * This is the only seam between one socket and another. The default implementation delivers in-process, which is
 * all a single server needs. To run several server processes behind a load balancer, replace it with one backed by
 * Redis pub/sub or NATS: `publish` sends `JSON.stringify(message)` on the topic (used verbatim as the channel or
 * subject name), and `subscribe` listens on it and calls the handler with the parsed message. Messages are therefore
 * plain JSON (no functions, dates or class instances), and a subscriber must not assume it receives its own
 * publications synchronously. Presence (`presence.ts`) counts only the sockets of one process; a multi-process
 * deployment also needs to share those counts (e.g. a Redis hash per account).
 */
export interface Bus {
  publish(topic: string, message: BusMessage): void;
  /** Returns the function that ends the subscription. */
  subscribe(topic: string, handler: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

export type BusMessage =
  /** A protocol frame for every socket on the topic, except the one whose id is `skip` (the sender's). */
  | { kind: 'frame'; frame: { type: string } & Record<string, unknown>; skip?: string }
  /** Close every socket on the topic, e.g. when an agent is removed or signs out. */
  | { kind: 'disconnect'; code: number; reason: string };

type Handler = (message: BusMessage) => void;

/**
 * One topic's subscribers. Most topics (a visitor's chat) have a single one, kept as it is rather than in a set.
 * Unsubscribing goes through this record, so the only copy of the topic's name kept is the one here.
 */
interface Subscribers {
  readonly topic: string;
  handlers: Handler | Set<Handler>;
}

/** The default bus: a map of topics to handlers in this process. */
export class InProcessBus implements Bus {
  readonly #topics = new Map<string, Subscribers>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  publish(topic: string, message: BusMessage): void {
    const handlers = this.#topics.get(topic)?.handlers;
    if (typeof handlers === 'function') this.#deliver(handlers, message);
    else if (handlers) for (const handler of [...handlers]) this.#deliver(handler, message);
  }

  #deliver(handler: Handler, message: BusMessage): void {
    try {
      handler(message);
    } catch (error) {
      this.onError(error);
    }
  }

  subscribe(topic: string, handler: Handler): () => void {
    let subscribers = this.#topics.get(topic);
    if (!subscribers) {
      subscribers = { topic, handlers: handler };
      this.#topics.set(topic, subscribers);
    } else if (subscribers.handlers instanceof Set) subscribers.handlers.add(handler);
    else if (subscribers.handlers !== handler)
      subscribers.handlers = new Set([subscribers.handlers, handler]);
    return () => this.#unsubscribe(subscribers, handler);
  }

  #unsubscribe(subscribers: Subscribers, handler: Handler): void {
    const { handlers } = subscribers;
    const emptied =
      handlers instanceof Set ? handlers.delete(handler) && handlers.size === 0 : handlers === handler;
    if (emptied && this.#topics.get(subscribers.topic) === subscribers)
      this.#topics.delete(subscribers.topic);
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }

  /** Topics with at least one subscriber; for tests. */
  get topicCount(): number {
    return this.#topics.size;
  }
}

/** Topic names, in one place so publishers and subscribers agree. All are scoped by account (tenant isolation). */
export const topics = {
  /** Every agent socket of an account: new conversations, messages, visitor typing, presence. */
  agents: (accountId: string) => `account:${accountId}:agents`,
  /** Every visitor socket of an account: whether any agent is online. */
  visitors: (accountId: string) => `account:${accountId}:visitors`,
  /** Every socket of one visitor (one chat id, possibly several tabs). */
  chat: (accountId: string, chatIdHash: string) => `chat:${accountId}:${chatIdHash}`,
  /** Every socket of one agent. */
  agent: (agentId: string) => `agent:${agentId}`,
  /** Every socket opened with one sign-in. */
  session: (sessionId: string) => `session:${sessionId}`,
} as const;
