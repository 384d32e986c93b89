import type { Clock } from './clock.ts';

/**
 * How long an agent whose last dashboard socket dropped still counts as there: long enough for the dashboard's
 * backoff to reconnect through a network blip or a server restart, so visitors are not told "away" meanwhile.
 */
export const PRESENCE_GRACE_MS = 30_000;

/** The account's count of available agents before and after a change. */
export interface PresenceChange {
  before: number;
  after: number;
}

/**
 * Which agents are available: an agent counts as online for an account while they have chosen "online" and have at
 * least one dashboard socket open on some node, or had one until less than the grace period ago. Signing out, or a
 * session's end, takes an agent away at once. Every change answers the account's count before and after it, so that
 * the caller tells visitors when it crosses zero.
 *
 * Shared by every node of an installation: a node that stops without a word (killed, cut off) stops renewing its
 * agents, and they lapse one grace period later, as if their sockets had dropped.
 */
export interface Presence {
  /** Agents of the account available to chat. */
  count(accountId: string): Promise<number>;
  /** Whether this agent is available to chat (chose "online" and is connected, or within the grace period). */
  isOnline(accountId: string, agentId: string): Promise<boolean>;
  /** Whether this agent has a dashboard socket open right now, on any node (the grace period does not count). */
  isConnected(accountId: string, agentId: string): Promise<boolean>;
  /** A dashboard socket opened on this node; a pending grace period ends, since the agent is back. */
  connect(accountId: string, agentId: string, online: boolean): Promise<PresenceChange>;
  /**
   * A dashboard socket on this node closed. With `grace` (a dropped connection), the agent's last socket leaves them
   * counted until the grace period ends; without it (signed out, session over), they are gone at once unless a
   * socket of theirs is still open somewhere.
   */
  disconnect(accountId: string, agentId: string, options: { grace: boolean }): Promise<PresenceChange>;
  /**
   * After a restart: an agent who was available and signed in counts as there for one grace period, so that visitors
   * are not told "away" while the dashboards reconnect.
   */
  expectBack(accountId: string, agentId: string): Promise<PresenceChange>;
  /** The agent chose "online" or "away"; it applies to their sockets on every node. */
  setOnline(accountId: string, agentId: string, online: boolean): Promise<PresenceChange>;
  /** Forgets an agent entirely (signed out everywhere, or removed from the account). */
  remove(accountId: string, agentId: string): Promise<PresenceChange>;
  /** Stops this node's timers; its agents lapse on other nodes as a crashed node's would, unless removed first. */
  close(): Promise<void>;
}

/** What a presence is built with. */
export interface PresenceOptions {
  clock: Clock;
  graceMs?: number;
  /**
   * Called when a grace period ends without a reconnect, with the change it made: on exactly one node of the
   * installation, which then tells the account's sockets. A shared presence also reports here the agents a node
   * brings back after it lost its connection to the others (see `RedisPresence`).
   */
  onLapse: (accountId: string, change: PresenceChange) => void;
}

interface AgentPresence {
  /** Dashboard sockets open now. */
  sockets: number;
  /** The status the agent chose. */
  online: boolean;
  /** While no socket is open: cancels the end of the grace period. */
  lapse: (() => void) | null;
}

/** The presence of a single process, in memory. */
export class InProcessPresence implements Presence {
  readonly #accounts = new Map<string, Map<string, AgentPresence>>();
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #onLapse: PresenceOptions['onLapse'];

  constructor(options: PresenceOptions) {
    this.#clock = options.clock;
    this.#graceMs = options.graceMs ?? PRESENCE_GRACE_MS;
    this.#onLapse = options.onLapse;
  }

  async count(accountId: string): Promise<number> {
    return this.#count(accountId);
  }

  async isOnline(accountId: string, agentId: string): Promise<boolean> {
    return this.#accounts.get(accountId)?.get(agentId)?.online === true;
  }

  async isConnected(accountId: string, agentId: string): Promise<boolean> {
    return (this.#accounts.get(accountId)?.get(agentId)?.sockets ?? 0) > 0;
  }

  async connect(accountId: string, agentId: string, online: boolean): Promise<PresenceChange> {
    return this.#change(accountId, () => {
      const agent = this.#entry(accountId, agentId, online);
      agent.lapse?.();
      agent.lapse = null;
      agent.sockets++;
      agent.online = online;
    });
  }

  async disconnect(accountId: string, agentId: string, options: { grace: boolean }): Promise<PresenceChange> {
    return this.#change(accountId, () => {
      const agent = this.#accounts.get(accountId)?.get(agentId);
      if (!agent) return;
      agent.sockets = Math.max(0, agent.sockets - 1);
      if (agent.sockets > 0) return;
      if (options.grace && agent.online) this.#startGrace(accountId, agentId, agent);
      else this.#forget(accountId, agentId);
    });
  }

  async expectBack(accountId: string, agentId: string): Promise<PresenceChange> {
    return this.#change(accountId, () => {
      const agent = this.#entry(accountId, agentId, true);
      if (agent.sockets === 0 && !agent.lapse) this.#startGrace(accountId, agentId, agent);
    });
  }

  async setOnline(accountId: string, agentId: string, online: boolean): Promise<PresenceChange> {
    return this.#change(accountId, () => {
      const agent = this.#accounts.get(accountId)?.get(agentId);
      if (agent) agent.online = online;
    });
  }

  async remove(accountId: string, agentId: string): Promise<PresenceChange> {
    return this.#change(accountId, () => this.#forget(accountId, agentId));
  }

  async close(): Promise<void> {
    for (const agents of this.#accounts.values()) for (const agent of agents.values()) agent.lapse?.();
    this.#accounts.clear();
  }

  #count(accountId: string): number {
    let online = 0;
    for (const agent of this.#accounts.get(accountId)?.values() ?? []) if (agent.online) online++;
    return online;
  }

  #change(accountId: string, apply: () => void): PresenceChange {
    const before = this.#count(accountId);
    apply();
    return { before, after: this.#count(accountId) };
  }

  #entry(accountId: string, agentId: string, online: boolean): AgentPresence {
    let agents = this.#accounts.get(accountId);
    if (!agents) {
      agents = new Map();
      this.#accounts.set(accountId, agents);
    }
    let agent = agents.get(agentId);
    if (!agent) {
      agent = { sockets: 0, online, lapse: null };
      agents.set(agentId, agent);
    }
    return agent;
  }

  #startGrace(accountId: string, agentId: string, agent: AgentPresence): void {
    agent.lapse = this.#clock.at(this.#clock.now() + this.#graceMs, () => {
      agent.lapse = null;
      if (this.#accounts.get(accountId)?.get(agentId) !== agent || agent.sockets > 0) return;
      this.#onLapse(
        accountId,
        this.#change(accountId, () => this.#forget(accountId, agentId)),
      );
    });
  }

  #forget(accountId: string, agentId: string): void {
    const agents = this.#accounts.get(accountId);
    const agent = agents?.get(agentId);
    if (!agents || !agent) return;
    agent.lapse?.();
    agents.delete(agentId);
    if (agents.size === 0) this.#accounts.delete(accountId);
  }
}
