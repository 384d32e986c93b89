import type { ParleyDb } from '@parley/db';
import { mailOutboxCounts } from '@parley/db';
import type { MessageAuthor, MessageWriter } from '@parley/db/chat';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerBus } from '../delivery/bus.ts';

// What an operator's Prometheus scrapes from the admin listener. No label carries personal data or an id: the
// labels are small fixed sets (a socket's kind, a message's sender kind, a queue's name), so that a series never
// names a person and their number never grows with the data.

/** Whose socket: a visitor's (the widget) or an agent's (the dashboard). */
export type SocketKind = 'visitor' | 'agent';

/** What the chat server counts while it runs, and the queues it reads when scraped. */
export interface ChatMetrics {
  readonly registry: Registry;
  socketOpened(kind: SocketKind): void;
  socketClosed(kind: SocketKind): void;
  /** A message the writer stored (not a resend it recognised). */
  messageStored(sender: MessageAuthor): void;
  /** From a message frame's arrival to the end of its fan-out on this node, in milliseconds. */
  delivered(milliseconds: number): void;
}

/** Where the queue-depth gauges read from when scraped. */
export interface MetricSources {
  db: ParleyDb;
  writer: MessageWriter;
  /** Publishes on the bus not yet confirmed sent. */
  busPending: () => number;
  /** Access-log lines waiting to be written. */
  accessLogPending: () => number;
}

/** Seconds, from a few milliseconds (one node, SQLite) to seconds (a stalled store or bus). */
const DELIVERY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics of one chat app; each app has a registry of its own, so that tests can run several in one process. */
export function createChatMetrics(sources: () => MetricSources): ChatMetrics {
  const registry = new Registry();
  const sockets = new Gauge({
    name: 'parley_websocket_connections',
    help: 'Open WebSocket connections on this node, by kind (visitor or agent).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  for (const kind of ['visitor', 'agent'] as const) sockets.set({ kind }, 0);
  const messages = new Counter({
    name: 'parley_messages_stored_total',
    help: 'Chat messages stored by this node, by sender kind (visitor, agent or system).',
    labelNames: ['sender'] as const,
    registers: [registry],
  });
  const delivery = new Histogram({
    name: 'parley_message_delivery_seconds',
    help: 'From a message frame arriving to its fan-out to the other sockets being sent, on this node.',
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'parley_queue_depth',
    help: 'Work waiting on this node, by queue: messages for the store writer, bus publishes, access-log lines.',
    labelNames: ['queue'] as const,
    registers: [registry],
    collect() {
      const from = sources();
      this.set({ queue: 'message_writer' }, from.writer.pending);
      this.set({ queue: 'bus_publish' }, from.busPending());
      this.set({ queue: 'access_log' }, from.accessLogPending());
    },
  });
  new Gauge({
    name: 'parley_mail_outbox',
    help: 'Mail in the outbox shared by every node: pending (to be sent or retried) and failed (given up).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await mailOutboxCounts(sources().db);
      this.set({ state: 'pending' }, counts.pending);
      this.set({ state: 'failed' }, counts.failed);
    },
  });
  return {
    registry,
    socketOpened: (kind) => sockets.inc({ kind }),
    socketClosed: (kind) => sockets.dec({ kind }),
    messageStored: (sender) => messages.inc({ sender }),
    delivered: (milliseconds) => delivery.observe(milliseconds / 1000),
  };
}

/** The writer, counting each message it stores for the first time. */
export function countingWriter(writer: MessageWriter, metrics: ChatMetrics): MessageWriter {
  return {
    async append(message) {
      const result = await writer.append(message);
      if (result.created) metrics.messageStored(message.author);
      return result;
    },
    flush: () => writer.flush(),
    close: () => writer.close(),
    get pending() {
      return writer.pending;
    },
  };
}

/** The bus, counting the publishes it has not yet confirmed sent. */
export function countingBus(bus: ServerBus): { bus: ServerBus; pending: () => number } {
  let pending = 0;
  return {
    pending: () => pending,
    bus: {
      async publish(topic, message) {
        pending++;
        try {
          await bus.publish(topic, message);
        } finally {
          pending--;
        }
      },
      subscribe: (topic, handler) => bus.subscribe(topic, handler),
      onResumed: (listener) => bus.onResumed(listener),
      close: () => bus.close(),
    },
  };
}

/**
 * The process's own metrics (CPU, memory, event-loop lag, garbage collection), registered once per process however
 * many apps it runs, when the listener that serves them starts: a test that serves none starts no observers. CPU
 * time counts from then on.
 */
let processRegistry: Registry | null = null;
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'parley_' });
  }
  return processRegistry;
}

/** The text a scrape answers with: the process's metrics and the chat app's. */
export async function scrape(metrics: ChatMetrics): Promise<{ body: string; contentType: string }> {
  const merged = Registry.merge([processMetrics(), metrics.registry]);
  return { body: await merged.metrics(), contentType: merged.contentType };
}
