import type { LatencySummary } from '../latency-stats.ts';

/**
 * What the bench process and the load generator (a separate process, so that its CPU is not the server's) say to
 * each other over the fork IPC channel.
 */

/** Where the generator connects, and how. Parley and the bare relay speak `ws`; the Socket.IO relay its own. */
export interface Target {
  name: string;
  transport: 'ws' | 'socketio';
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** Where agents connect, when not to `baseUrl`: a cluster's other listener, so that messages cross between nodes. */
  agentBaseUrl?: string;
  accounts: Array<{
    publicKey: string;
    /** ws: the agent socket's path and query; socketio: ignored. Null: this account gets no agent socket. */
    agentPath: string | null;
    agentHeaders?: Record<string, string>;
  }>;
  visitorsPerAccount: number;
  visitorHeaders?: Record<string, string>;
  /** Send `{type:'open'}` for each conversation the agent is told about (Parley agents subscribe this way). */
  agentOpensConversations?: boolean;
  /** The server's pid, so the generator can read its CPU time over exactly the same window as its own. */
  serverPid?: number;
  /**
   * The database server's first process (PostgreSQL's postmaster), whose whole process tree's CPU is read over the
   * same window; unset when the store is in the server's own process.
   */
  databasePid?: number;
  /**
   * Further processes whose whole process tree's CPU is read over the same window, by name: a cluster's other
   * nodes, its Redis, its load balancer.
   */
  otherPids?: Record<string, number>;
}

export type ToGenerator =
  | { cmd: 'setup'; target: Target; idle?: boolean; connectConcurrency?: number }
  /** `measureMs: null` runs until a `stop` arrives: for measuring across something of unknown length. */
  | { cmd: 'step'; rate: number; warmupMs: number; measureMs: number | null; drainMs: number }
  | { cmd: 'stop' }
  | { cmd: 'close' };

export interface SetupResult {
  type: 'ready';
  visitors: number;
  agents: number;
  setupMs: number;
  /** Conversations the agents were told about (Parley creates one on a visitor's first message). */
  conversations: number;
  errors: Record<string, number>;
}

export interface StepResult {
  type: 'step';
  rate: number;
  /** Messages sent during the whole step (warm-up + measurement). */
  sent: number;
  /** Acknowledgements received for this step's messages. */
  acked: number;
  /** This step's messages that reached an agent (after draining). */
  delivered: number;
  /** Messages that reached an agent during the measurement window, per second. */
  deliveredPerSec: number;
  /**
   * Messages that reached an agent during the measurement window, whichever step sent them: what the server got
   * through in the window, backlog included, when it cannot keep up.
   */
  deliveredInWindow: number;
  /** Latency from the moment a message was due to be sent to the moment the agent had it. */
  latency: LatencySummary;
  errors: Record<string, number>;
  windowMs: number;
  /** CPU time over the measurement window, ms: the generator's own and the server's. */
  generatorCpuMs: number;
  serverCpuMs: number | null;
  /** CPU time of the database server's processes over the window, ms, when `databasePid` was given. */
  databaseCpuMs: number | null;
  /** CPU time of each of `Target.otherPids` over the window, ms. */
  otherCpuMs: Record<string, number>;
  /** How late the generator's send loop ran behind its schedule at the worst moment, ms. */
  maxSendLagMs: number;
  drainedMs: number;
}

export type FromGenerator = SetupResult | StepResult | { type: 'closed' } | { type: 'failed'; error: string };

/** Message text: step, sequence and the due time, padded to exactly `bytes` ASCII characters. */
export function encodeText(step: number, seq: number, dueMs: number, bytes = 100): string {
  const head = `s${step}:${seq}:${dueMs.toFixed(3)}:`;
  return head + 'x'.repeat(Math.max(0, bytes - head.length));
}

export function decodeText(text: string): { step: number; seq: number; dueMs: number } | null {
  const [s, seq, due] = text.split(':', 3);
  if (!s?.startsWith('s') || seq === undefined || due === undefined) return null;
  return { step: Number(s.slice(1)), seq: Number(seq), dueMs: Number(due) };
}
