/**
 * Which agents are available: an agent counts as online for an account while they have chosen "online" and have at
 * least one dashboard socket open. Counted per process (see `bus.ts` for running several).
 */
export class Presence {
  readonly #accounts = new Map<string, Map<string, { sockets: number; online: boolean }>>();

  /** Agents of the account available to chat. */
  count(accountId: string): number {
    let online = 0;
    for (const agent of this.#accounts.get(accountId)?.values() ?? []) if (agent.online) online++;
    return online;
  }

  /** A dashboard socket opened. Returns the account's count before and after. */
  connect(accountId: string, agentId: string, online: boolean): { before: number; after: number } {
    const before = this.count(accountId);
    let agents = this.#accounts.get(accountId);
    if (!agents) {
      agents = new Map();
      this.#accounts.set(accountId, agents);
    }
    const agent = agents.get(agentId);
    if (agent) {
      agent.sockets++;
      agent.online = online;
    } else agents.set(agentId, { sockets: 1, online });
    return { before, after: this.count(accountId) };
  }

  disconnect(accountId: string, agentId: string): { before: number; after: number } {
    const before = this.count(accountId);
    const agents = this.#accounts.get(accountId);
    const agent = agents?.get(agentId);
    if (agents && agent) {
      agent.sockets--;
      if (agent.sockets <= 0) agents.delete(agentId);
      if (agents.size === 0) this.#accounts.delete(accountId);
    }
    return { before, after: this.count(accountId) };
  }

  setOnline(accountId: string, agentId: string, online: boolean): { before: number; after: number } {
    const before = this.count(accountId);
    const agent = this.#accounts.get(accountId)?.get(agentId);
    if (agent) agent.online = online;
    return { before, after: this.count(accountId) };
  }

  /** Forgets an agent entirely (removed from the account). */
  remove(accountId: string, agentId: string): { before: number; after: number } {
    const before = this.count(accountId);
    this.#accounts.get(accountId)?.delete(agentId);
    return { before, after: this.count(accountId) };
  }
}
