import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { CLOSE_CODES, type ErrorCode, LIMITS, parseFrame } from '@parley/protocol';
import { WebSocket } from 'ws';
import type { z } from 'zod';
import type { ServerLanguage } from '../i18n/language.ts';
import { translate } from '../i18n/translate.ts';
import type { Logger } from '../logger.ts';
import { TokenBucket } from '../security/token-bucket.ts';

/** Bytes a client may fall behind by before it is dropped, so that one slow reader never holds up the others. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** The WebSocket library refuses (closing with 1009) frames above this; frames between the limits get an error. */
export const MAX_PAYLOAD_BYTES = 4 * LIMITS.maxFrameBytes;
/** Frames dropped for the rate limit within this window, above `LIMITS.burstFrames`, close the socket (4001). */
export const FLOOD_WINDOW_MS = 10_000;
/** A socket that does not finish its close handshake in this time is cut. */
const CLOSE_TIMEOUT_MS = 5_000;

/** Tells this process's sockets from those of other processes sharing a bus (see `delivery/bus.ts`). */
const PROCESS_TAG = randomBytes(6).toString('base64url');
let socketsOpened = 0;
/** Where every socket's queue of frame handlers starts; shared, so an idle socket holds no promise of its own. */
const NOTHING_QUEUED: Promise<void> = Promise.resolve();

/** A socket's handler that can send its client what the bus may have lost (see `SocketRegistry.catchUp`). */
export interface Resumable {
  /**
   * Takes the last message the socket delivered, now, and returns the catch-up: it sends the messages written
   * since that one, resolving once they were sent and rejecting if they could not be read. After a failure it may
   * be called again, and again starts from that message.
   */
  planCatchUp(): () => Promise<void>;
}

/**
 * How long a socket whose catch-up failed waits before each new try. Redis's connections come back one by one, so
 * the bus may be live again a moment before the presence a snapshot reads; past the last try the socket is closed
 * (`CLOSE_CODES.resume`), and its client reconnects and resumes from the last message it has.
 */
export const CATCH_UP_RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 3_000];

/**
 * One WebSocket, guarded: frames are size-checked and rate-limited before they are parsed, handled one at a time
 * in the order they came, and sends are dropped (and the socket closed) when the client stops reading.
 */
export class SocketChannel {
  readonly #number = ++socketsOpened;
  #id: string | undefined;
  readonly #bucket = new TokenBucket(LIMITS.framesPerSecond, LIMITS.burstFrames);
  #drops = 0;
  #windowStart = performance.now();
  #closing = false;
  #corked = false;
  #tail = NOTHING_QUEUED;
  #killTimer: NodeJS.Timeout | null = null;
  /**
   * The topic of the person this socket turned out to belong to (a visitor's chat), once known, so that their
   * sockets can be closed and waited for before their data is erased.
   */
  owner: string | null = null;
  /** The socket's handler, once it is one that can catch up after the bus was interrupted. */
  resumable: Resumable | null = null;
  /**
   * The language of the error frames' messages: the dashboard's agent's. The widget shows its own words for each
   * error code, so a visitor's socket stays in English, the language the code is written in.
   */
  language: ServerLanguage = 'en';

  constructor(
    readonly raw: WebSocket,
    private readonly log: Logger,
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {}

  /**
   * This socket's id on the bus, where it marks the frames it sent (`skip`). Made when first asked for, so that an
   * idle socket keeps no string for it, and kept, since every frame delivered to a busy socket compares it.
   */
  get id(): string {
    this.#id ??= `${PROCESS_TAG}.${this.#number}`;
    return this.#id;
  }

  /** To be called once the underlying socket has closed. */
  closed(): void {
    this.#closing = true;
    if (this.#killTimer) clearTimeout(this.#killTimer);
  }

  get open(): boolean {
    return !this.#closing && this.raw.readyState === WebSocket.OPEN;
  }

  send(frame: { type: string } & Record<string, unknown>): void {
    if (!this.open) return;
    if (this.raw.bufferedAmount > this.maxBufferedBytes) {
      this.close(CLOSE_CODES.slowConsumer, 'too slow');
      return;
    }
    this.#corkUntilTickEnds();
    this.raw.send(JSON.stringify(frame));
  }

  /**
   * Holds this socket's writes until the current tick's work is done, so that the frames one tick sends it (an
   * agent gets every message a writer batch committed) leave in one system call instead of one each.
   */
  #corkUntilTickEnds(): void {
    if (this.#corked) return;
    // ws keeps the TCP socket as `_socket`; without it, frames simply go out one by one.
    const socket = (this.raw as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.#corked = true;
    socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  error(code: ErrorCode, message: string, key?: string): void {
    this.send({
      type: 'error',
      code,
      message: translate(message, this.language),
      ...(key === undefined ? {} : { key }),
    });
  }

  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    try {
      this.raw.close(code, reason);
    } catch {
      this.raw.terminate();
      return;
    }
    // A client that stopped reading never answers the close frame.
    this.#killTimer = setTimeout(() => this.raw.terminate(), CLOSE_TIMEOUT_MS);
    this.#killTimer.unref();
  }

  /**
   * The text of a frame that may be handled, or null if it was refused (an error frame has then been sent, or the
   * socket closed for flooding).
   */
  #admit(data: unknown): string | null {
    if (this.#closing) return null;
    if (!this.#bucket.take()) {
      const now = performance.now();
      if (now - this.#windowStart > FLOOD_WINDOW_MS) {
        this.#windowStart = now;
        this.#drops = 0;
      }
      this.#drops++;
      if (this.#drops > LIMITS.burstFrames) {
        this.close(CLOSE_CODES.flood, 'too many frames');
        return null;
      }
      this.error('rate_limited', `more than ${LIMITS.framesPerSecond} frames a second; slow down and resend`);
      return null;
    }
    if (typeof data !== 'string') {
      this.error('invalid_frame', 'frames must be JSON text');
      return null;
    }
    if (Buffer.byteLength(data) > LIMITS.maxFrameBytes) {
      this.error('frame_too_large', `frames may be at most ${LIMITS.maxFrameBytes} bytes`);
      return null;
    }
    return data;
  }

  /**
   * A frame as it arrives: admitted (size and rate), parsed against `schema`, then queued for `handle`; a frame that
   * fails either check gets its error frame instead.
   */
  receive<T>(data: unknown, schema: z.ZodType<T>, handle: (frame: T) => Promise<void>): void {
    const text = this.#admit(data);
    if (text === null) return;
    const parsed = parseFrame(schema, text);
    if (!parsed.ok) {
      this.error(parsed.code, parsed.message);
      return;
    }
    this.enqueue(() => handle(parsed.frame));
  }

  /**
   * Runs handlers one after another, so frames take effect in the order they were sent. One that fails is logged,
   * and the client is told to try again.
   */
  enqueue(task: () => Promise<void>): void {
    this.run(task).catch((error: unknown) => {
      this.log.error('a socket frame handler failed', error);
      this.error('internal', 'something went wrong on our side; try again');
    });
  }

  /** Runs `task` after the handlers queued before it, as `enqueue` does, and settles as it does. */
  run(task: () => Promise<void>): Promise<void> {
    const result = this.#tail.then(task);
    const queued: Promise<void> = result.then(
      () => this.#drained(queued),
      () => this.#drained(queued),
    );
    this.#tail = queued;
    return result;
  }

  /** Lets go of the finished queue, unless more was queued behind it. */
  #drained(queued: Promise<void>): void {
    if (this.#tail === queued) this.#tail = NOTHING_QUEUED;
  }

  /** Resolves when every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.#tail;
  }
}

/** Every open socket, so that shutdown can close them all and wait for their work to finish. */
export class SocketRegistry {
  readonly #channels = new Set<SocketChannel>();

  constructor(private readonly catchUpRetryDelaysMs: readonly number[] = CATCH_UP_RETRY_DELAYS_MS) {}

  add(channel: SocketChannel): void {
    this.#channels.add(channel);
  }

  /** To be called once the channel's socket has closed. */
  remove(channel: SocketChannel): void {
    this.#channels.delete(channel);
  }

  get size(): number {
    return this.#channels.size;
  }

  /**
   * Closes every socket with `code` and resolves once each has finished the frames it had received and has closed
   * (a client that does not answer the close is cut after a few seconds).
   */
  async closeAll(code: number, reason: string): Promise<void> {
    await this.#close([...this.#channels], code, reason);
  }

  /** Closes the sockets of one owner (see `SocketChannel.owner`) the way `closeAll` closes every socket. */
  async closeOwned(owner: string, code: number, reason: string): Promise<void> {
    await this.#close(
      [...this.#channels].filter((channel) => channel.owner === owner),
      code,
      reason,
    );
  }

  async #close(channels: SocketChannel[], code: number, reason: string): Promise<void> {
    const closed = channels.map(
      (channel) =>
        new Promise<void>((resolve) => {
          if (channel.raw.readyState === WebSocket.CLOSED) resolve();
          else channel.raw.once('close', () => resolve());
        }),
    );
    for (const channel of channels) channel.close(code, reason);
    await Promise.all([...closed, ...channels.map((channel) => channel.idle())]);
  }

  /**
   * For the bus layer, once this node's subscriptions were interrupted and are live again: every open socket sends
   * its client the messages written since the last one it delivered, from the store, which covers what was
   * published while the node was not subscribed. Call it as soon as the subscriptions are live, since each socket
   * reads from the last message it had delivered at the call. A socket whose catch-up fails tries again after
   * each of the retry delays, and is then closed with `CLOSE_CODES.resume` so that its client resumes by itself.
   * Resolves with how many sockets were closed so, once every socket has caught up or been closed.
   */
  async catchUp(): Promise<{ closed: number }> {
    let closed = 0;
    await Promise.all(
      [...this.#channels].map(async (channel) => {
        if (!(await this.#catchUp(channel))) {
          closed++;
          channel.close(CLOSE_CODES.resume, 'reconnect to resume');
        }
      }),
    );
    return { closed };
  }

  /** Whether `channel` caught up, or closed meanwhile (then there is no one to catch up). */
  async #catchUp(channel: SocketChannel): Promise<boolean> {
    const catchUp = channel.open ? channel.resumable?.planCatchUp() : undefined;
    if (!catchUp) return true;
    for (const delay of [0, ...this.catchUpRetryDelaysMs]) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (!channel.open) return true;
      try {
        await catchUp();
        return true;
      } catch {
        // Tried again after the next delay; the last failure closes the socket, and that is what gets logged.
      }
    }
    return !channel.open;
  }

  /** Waits for every socket's queued frames to be handled. */
  async idle(): Promise<void> {
    await Promise.all([...this.#channels].map((channel) => channel.idle()));
  }
}
