import { MAX_CLOCK_SKEW_MS } from '@parley/db/chat';
import type { ChatMessage } from '@parley/protocol';

/**
 * The messages one socket has sent its client, as far as a catch-up needs them: the last one of the live stream
 * (the anchor a catch-up reads from) and the ids of those recent enough that a catch-up's read, which goes back
 * `MAX_CLOCK_SKEW_MS` before the anchor, could return them again.
 *
 * Only messages the client got from the shared stream (the bus, the welcome, a snapshot, a resume or a catch-up)
 * move the anchor. Messages it got another way (the acknowledgement of its own message, a history) are remembered
 * so they are not sent twice, but do not move it: while the bus is interrupted they still reach the client, and
 * anchoring on them would skip what the bus lost before them.
 */
export class DeliveredMessages {
  #anchor: { id: string; at: number } | null = null;
  /**
   * Ids with their time (ms) and whether they came from the stream; pruned to the window behind the anchor once the
   * map has doubled since the last pruning.
   */
  readonly #recent = new Map<string, { at: number; streamed: boolean }>();
  #pruneAt = 64;

  /** The id a catch-up reads from; null before the client held any message of the stream. */
  get anchor(): string | null {
    return this.#anchor?.id ?? null;
  }

  /** A message of the shared stream was sent to the client. */
  streamed(message: Pick<ChatMessage, 'id' | 'at'>): void {
    const at = this.#remember(message, true);
    if (at !== null) this.heldUpTo(message.id, at);
  }

  /** A message reached the client outside the stream (see above). */
  sent(message: Pick<ChatMessage, 'id' | 'at'>): void {
    this.#remember(message, false);
  }

  #remember(message: Pick<ChatMessage, 'id' | 'at'>, streamed: boolean): number | null {
    const at = Date.parse(message.at);
    if (Number.isNaN(at)) return null;
    this.#recent.set(message.id, { at, streamed: streamed || this.wasStreamed(message.id) });
    if (this.#recent.size >= this.#pruneAt) this.#prune();
    return at;
  }

  /**
   * The client holds the stream up to message `id`, written at `at` (ms): a snapshot's last messages, or the
   * message a client resumed from, whose time this socket does not know (-Infinity: any later one replaces it).
   */
  heldUpTo(id: string, at: number): void {
    const anchor = this.#anchor;
    if (!anchor || at > anchor.at || (at === anchor.at && id > anchor.id)) this.#anchor = { id, at };
  }

  /** Whether the client was sent this message, in any way. */
  has(id: string): boolean {
    return this.#recent.has(id);
  }

  /**
   * Whether this message was sent as part of the stream (by a resume or catch-up, say), so that the bus's copy need
   * not follow. One the client got only in a history or acknowledgement still goes out as its `message` frame.
   */
  wasStreamed(id: string): boolean {
    return this.#recent.get(id)?.streamed ?? false;
  }

  /**
   * Whether a frame from the bus should go to the client: any frame but a `message` whose message this socket
   * already streamed (a resume or catch-up read it from the store before the bus brought it). A message frame that
   * goes is noted as streamed.
   */
  admit(frame: { type: string } & Record<string, unknown>): boolean {
    if (frame.type !== 'message') return true;
    const { message } = frame as { type: 'message'; message: ChatMessage };
    if (this.wasStreamed(message.id)) return false;
    this.streamed(message);
    return true;
  }

  /** Of `messages`, the ones the client was not sent yet, each noted as streamed to it. */
  unseen(messages: readonly ChatMessage[]): ChatMessage[] {
    const fresh = messages.filter((message) => !this.has(message.id));
    for (const message of fresh) this.streamed(message);
    return fresh;
  }

  #prune(): void {
    const anchor = this.#anchor;
    if (anchor) {
      const cut = anchor.at - MAX_CLOCK_SKEW_MS;
      for (const [id, { at }] of this.#recent) if (at < cut) this.#recent.delete(id);
    }
    this.#pruneAt = Math.max(64, 2 * this.#recent.size);
  }
}
