import type { VisitorFrame } from '@parley/protocol';

/** The frames that carry an idempotency key: the server dedupes them, so resending is safe. */
export type KeyedFrame = Extract<VisitorFrame, { key: string }>;

interface Entry {
  frame: KeyedFrame;
  /** The connection this frame was last put on the wire, 0 for never. */
  sentOn: number;
}

/**
 * The visitor's frames the server has not acknowledged yet. Each is sent once per connection: a frame written to a
 * socket that then dropped is resent, once, on the next connection with its original key; the server's ack (or a
 * refusal) takes it out. Nothing acknowledged is sent again, nothing unacknowledged is forgotten.
 */
export class Outbox {
  private readonly entries = new Map<string, Entry>();

  /** Adding a key that is already waiting changes nothing. */
  add(frame: KeyedFrame): void {
    if (!this.entries.has(frame.key)) this.entries.set(frame.key, { frame, sentOn: 0 });
  }

  /** The frames to write on `connection` now, oldest first; each is marked so it is not written twice on it. */
  due(connection: number): KeyedFrame[] {
    const due: KeyedFrame[] = [];
    for (const entry of this.entries.values()) {
      if (entry.sentOn === connection) continue;
      entry.sentOn = connection;
      due.push(entry.frame);
    }
    return due;
  }

  /** The server took the frame (ack) or refused it (error with its key): it leaves the outbox. */
  settle(key: string): KeyedFrame | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry?.frame;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
