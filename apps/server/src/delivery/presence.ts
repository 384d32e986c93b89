import type { Clock } from '../clock.ts';

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

interface AgentPresence {
  /** Dashboard sockets open now. */
  sockets: number;
  /** The status the agent chose. */
  online: boolean;
  /** While no socket is open: cancels the end of the grace period. */
  lapse: (() => void) | null;
}

/**
 * Which agents are available: an agent counts as online for an account while they have chosen "online" and have at
 * least one dashboard socket open, or had one until less than the grace period ago. Signing out, or a session's end,
 * takes an agent away at once. Counted per process (see `bus.ts` for running several).
 */
export class Presence {
  readonly #accounts = new Map<string, Map<string, AgentPresence>>();
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #onLapse: (accountId: string, change: PresenceChange) => void;

  constructor(options: {
    clock: Clock;
    graceMs?: number;
    /** Called when a grace period ends without a reconnect, with the change it made. */
    onLapse: (accountId: string, change: PresenceChange) => void;
  }) {
    this.#clock = options.clock;
    this.#graceMs = options.graceMs ?? PRESENCE_GRACE_MS;
    this.#onLapse = options.onLapse;
  }

  /** Agents of the account available to chat. */
  count(accountId: string): number {
    let online = 0;
    for (const agent of this.#accounts.get(accountId)?.values() ?? []) if (agent.online) online++;
    return online;
  }

  /** Whether this agent is available to chat (chose "online" and is connected, or within the grace period). */
  isOnline(accountId: string, agentId: string): boolean {
    return this.#accounts.get(accountId)?.get(agentId)?.online === true;
  }

  /** Whether this agent has a dashboard socket open right now (the grace period does not count). */
  isConnected(accountId: string, agentId: string): boolean {
    return (this.#accounts.get(accountId)?.get(agentId)?.sockets ?? 0) > 0;
  }

  /** A dashboard socket opened; a pending grace period ends, since the agent is back. */
  connect(accountId: string, agentId: string, online: boolean): PresenceChange {
    return this.#change(accountId, () => {
      const agent = this.#entry(accountId, agentId, online);
      agent.lapse?.();
      agent.lapse = null;
      agent.sockets++;
      agent.online = online;
    });
  }

  /**
   * A dashboard socket closed. With `grace` (a dropped connection), the agent's last socket leaves them counted until
   * the grace period ends; without it (signed out, session over), they are gone at once.
   */
  disconnect(accountId: string, agentId: string, options: { grace: boolean }): PresenceChange {
    return this.#change(accountId, () => {
      const agent = this.#accounts.get(accountId)?.get(agentId);
      if (!agent) return;
      agent.sockets = Math.max(0, agent.sockets - 1);
      if (agent.sockets > 0) return;
      if (options.grace && agent.online) this.#startGrace(accountId, agentId, agent);
      else this.#forget(accountId, agentId);
    });
  }

  /**
   * After a restart: an agent who was available and signed in counts as there for one grace period, so that visitors
   * are not told "away" while the dashboards reconnect.
   */
  expectBack(accountId: string, agentId: string): PresenceChange {
    return this.#change(accountId, () => {
      const agent = this.#entry(accountId, agentId, true);
      if (agent.sockets === 0 && !agent.lapse) this.#startGrace(accountId, agentId, agent);
    });
  }

  setOnline(accountId: string, agentId: string, online: boolean): PresenceChange {
    return this.#change(accountId, () => {
      const agent = this.#accounts.get(accountId)?.get(agentId);
      if (agent) agent.online = online;
    });
  }

  /** Forgets an agent entirely (signed out everywhere, or removed from the account). */
  remove(accountId: string, agentId: string): PresenceChange {
    return this.#change(accountId, () => this.#forget(accountId, agentId));
  }

  #change(accountId: string, apply: () => void): PresenceChange {
    const before = this.count(accountId);
    apply();
    return { before, after: this.count(accountId) };
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
      this.#onLapse(accountId, this.remove(accountId, agentId));
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
