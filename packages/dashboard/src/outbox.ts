/**
 * The agent's messages between the reply box and the server's ack. Each carries an idempotency key, so sending it
 * twice is safe: the server stores it once and acks both. A message is sent when the socket is open, resent once
 * after a reconnect if no ack came, and then marked failed for the agent to retry or discard.
 */

export type PendingStatus = 'queued' | 'sent' | 'failed';

export interface PendingMessage {
  readonly key: string;
  readonly conversationId: string;
  readonly text: string;
  readonly createdAt: string;
  /** Transmissions so far. */
  readonly attempts: number;
  readonly status: PendingStatus;
  /** Why it failed, fit to show. */
  readonly error?: string;
}

/** Automatic transmissions per message: the first send and one resend after a reconnect. */
export const MAX_AUTOMATIC_ATTEMPTS = 2;

export const NOT_DELIVERED = 'Not delivered. The connection dropped twice before the server confirmed it.';

export class Outbox {
  #items: PendingMessage[] = [];

  get items(): readonly PendingMessage[] {
    return this.#items;
  }

  forConversation(conversationId: string): PendingMessage[] {
    return this.#items.filter((item) => item.conversationId === conversationId);
  }

  add(input: { key: string; conversationId: string; text: string; createdAt: string }): PendingMessage {
    const item: PendingMessage = { ...input, attempts: 0, status: 'queued' };
    this.#items = [...this.#items, item];
    return item;
  }

  /** Marks every queued message as sent and returns them, oldest first, for the caller to transmit now. */
  flush(): PendingMessage[] {
    const toSend: PendingMessage[] = [];
    this.#items = this.#items.map((item) => {
      if (item.status !== 'queued') return item;
      const sent: PendingMessage = { ...item, attempts: item.attempts + 1, status: 'sent' };
      toSend.push(sent);
      return sent;
    });
    return toSend;
  }

  /**
   * A new connection is up. Messages sent on the old one without an ack go back in the queue if they have a resend
   * left, otherwise they fail. Call `flush()` afterwards.
   */
  reconnected(): void {
    this.#items = this.#items.map((item) => {
      if (item.status !== 'sent') return item;
      if (item.attempts < MAX_AUTOMATIC_ATTEMPTS) return { ...item, status: 'queued' };
      return { ...item, status: 'failed', error: NOT_DELIVERED };
    });
  }

  /** The server stored the message. Returns it the first time; a repeated ack (after a resend) returns undefined. */
  ack(key: string): PendingMessage | undefined {
    const item = this.#items.find((candidate) => candidate.key === key);
    if (!item) return undefined;
    this.#items = this.#items.filter((candidate) => candidate !== item);
    return item;
  }

  /** The server refused the message (closed conversation, too long, rate limit). */
  fail(key: string, error: string): boolean {
    let found = false;
    this.#items = this.#items.map((item) => {
      if (item.key !== key) return item;
      found = true;
      return { ...item, status: 'failed', error };
    });
    return found;
  }

  /** The agent asks to try a failed message again: it gets a fresh budget of automatic attempts. */
  retry(key: string): boolean {
    let found = false;
    this.#items = this.#items.map((item) => {
      if (item.key !== key || item.status !== 'failed') return item;
      found = true;
      const { error: _error, ...rest } = item;
      return { ...rest, attempts: 0, status: 'queued' };
    });
    return found;
  }

  discard(key: string): void {
    this.#items = this.#items.filter((item) => item.key !== key);
  }

  /** Drops every message for a conversation that no longer exists (erased). */
  dropConversation(conversationId: string): void {
    this.#items = this.#items.filter((item) => item.conversationId !== conversationId);
  }

  clear(): void {
    this.#items = [];
  }
}
