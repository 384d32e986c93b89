import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import { PRESENCE_GRACE_MS, type Presence, type PresenceChange, type PresenceOptions } from '../presence.ts';
import { DEFAULT_REDIS_PREFIX } from './connection.ts';
import type { LuaScript } from './lua-script.ts';
import {
  CONNECT,
  COUNT,
  DISCONNECT,
  EXPECT_BACK,
  HEARTBEAT,
  LAPSE,
  REMOVE,
  SET_ONLINE,
} from './presence-scripts.ts';

export interface RedisPresenceOptions extends PresenceOptions {
  /** A connection this presence uses but does not own: closing the presence leaves it open. */
  redis: Redis;
  /** Put before every key; `parley:` by default. */
  prefix?: string | undefined;
  /** A heartbeat or lapse check that failed (Redis unreachable); the next one tries again. */
  onError: (error: unknown) => void;
}

/** The sockets this node holds of one agent; `changes` tells a heartbeat's answer whether it is still current. */
interface LocalAgent {
  sockets: number;
  changes: number;
  /** The status the agent chose, as last seen: what a restore brings back. */
  online: boolean;
}

/** Accounts the lapse check looks at in one step, so that a long backlog does not hold Redis in one script. */
const LAPSE_BATCH = 100;
/** Agents one heartbeat step renews. */
const HEARTBEAT_BATCH = 500;

/**
 * The presence of every node of an installation, on Redis (see `presence-scripts.ts` for the keys).
 *
 * Each node has a random id and claims the agents it holds sockets of, until now + grace, renewed by a heartbeat
 * every third of the grace period; a dropped socket's claim is left to run out. An agent counts while one of its
 * claims runs and it chose "online", which is stored once for every node. Every node runs the lapse check on its
 * clock (every second, or a tenth of the grace period if shorter); it ends what has run out in one atomic step, so
 * exactly one node reports each lapse. A node that stops without a word stops renewing its claims: its agents lapse
 * at most one grace period later, on the other nodes.
 *
 * A node that could not reach Redis for a while (or whose Redis restarted without its data) may find, at its next
 * heartbeat, agents it holds sockets of gone: it brings them back with the status last seen, and reports the change
 * through `onLapse` as it reports lapses. A node that reached Redis all along takes an agent it finds gone as removed
 * on another node, and forgets its sockets.
 *
 * Times come from the clock each node is given, and are compared across nodes: their clocks must agree within a
 * second or so (NTP does that). `close()` stops the timers and leaves the claims to run out, as a crash would: the
 * dashboards reconnect to another node within the grace period.
 */
export class RedisPresence implements Presence {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #onLapse: PresenceOptions['onLapse'];
  readonly #onError: (error: unknown) => void;
  readonly #node = randomBytes(8).toString('hex');
  readonly #local = new Map<string, Map<string, LocalAgent>>();
  /** Heartbeats and lapse checks, one after the other, so that `checkLapses` can wait for all before it. */
  #work: Promise<void> = Promise.resolve();
  readonly #timers = new Set<() => void>();
  #closed = false;
  /** Since the last heartbeat that went through, a command to Redis failed. */
  #cutOff = false;

  constructor(options: RedisPresenceOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#clock = options.clock;
    this.#graceMs = options.graceMs ?? PRESENCE_GRACE_MS;
    this.#onLapse = options.onLapse;
    this.#onError = options.onError;
    this.#every(Math.min(1_000, this.#graceMs / 10), (now) => this.#checkLapses(now));
    this.#every(this.#graceMs / 3, (now) => this.#heartbeat(now));
  }

  /** How long this node's sockets count as open without a heartbeat: two heartbeats, so that one late is no gap. */
  get #connectedMs(): number {
    return (2 * this.#graceMs) / 3;
  }

  async count(accountId: string): Promise<number> {
    return Number(await COUNT.run(this.#redis, [], [this.#prefix, accountId, this.#clock.now()]));
  }

  async isOnline(accountId: string, agentId: string): Promise<boolean> {
    return (await this.#redis.hget(`${this.#account(accountId)}:status`, agentId)) === '1';
  }

  async isConnected(accountId: string, agentId: string): Promise<boolean> {
    const now = this.#clock.now();
    const nodes = await this.#redis.hvals(`${this.#account(accountId)}:connected:${agentId}`);
    return nodes.some((until) => Number(until) > now);
  }

  async connect(accountId: string, agentId: string, online: boolean): Promise<PresenceChange> {
    const agent = this.#localAgent(accountId, agentId);
    agent.sockets++;
    agent.changes++;
    agent.online = online;
    return this.#connect(accountId, agentId, online, { restore: false });
  }

  async disconnect(accountId: string, agentId: string, options: { grace: boolean }): Promise<PresenceChange> {
    const agents = this.#local.get(accountId);
    const agent = agents?.get(agentId);
    if (agent && agent.sockets > 0) {
      agent.sockets--;
      agent.changes++;
    }
    if (!agents || !agent || agent.sockets > 0) return this.#unchanged(accountId);
    this.#forgetLocally(accountId, agentId);
    const now = this.#clock.now();
    return this.#change(DISCONNECT, accountId, now, [
      agentId,
      this.#node,
      options.grace ? '1' : '0',
      now + this.#graceMs,
    ]);
  }

  async expectBack(accountId: string, agentId: string): Promise<PresenceChange> {
    const now = this.#clock.now();
    return this.#change(EXPECT_BACK, accountId, now, [agentId, this.#node, now + this.#graceMs]);
  }

  async setOnline(accountId: string, agentId: string, online: boolean): Promise<PresenceChange> {
    const change = await this.#change(SET_ONLINE, accountId, this.#clock.now(), [
      agentId,
      online ? '1' : '0',
    ]);
    const agent = this.#local.get(accountId)?.get(agentId);
    if (agent) agent.online = online;
    return change;
  }

  async remove(accountId: string, agentId: string): Promise<PresenceChange> {
    this.#forgetLocally(accountId, agentId);
    return this.#change(REMOVE, accountId, this.#clock.now(), [agentId]);
  }

  /**
   * Runs the lapse check now; resolves once it, and every heartbeat and check before it, is done. A closed presence
   * checks nothing.
   */
  checkLapses(): Promise<void> {
    if (this.#closed) return this.#work;
    const now = this.#clock.now();
    return this.#then(() => this.#checkLapses(now));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
    await this.#work;
  }

  #account(accountId: string): string {
    return `${this.#prefix}presence:${accountId}`;
  }

  #localAgent(accountId: string, agentId: string): LocalAgent {
    let agents = this.#local.get(accountId);
    if (!agents) {
      agents = new Map();
      this.#local.set(accountId, agents);
    }
    let agent = agents.get(agentId);
    if (!agent) {
      agent = { sockets: 0, changes: 0, online: true };
      agents.set(agentId, agent);
    }
    return agent;
  }

  #forgetLocally(accountId: string, agentId: string): void {
    const agents = this.#local.get(accountId);
    if (!agents?.delete(agentId) || agents.size > 0) return;
    this.#local.delete(accountId);
  }

  #connect(
    accountId: string,
    agentId: string,
    online: boolean,
    options: { restore: boolean },
  ): Promise<PresenceChange> {
    const now = this.#clock.now();
    return this.#change(CONNECT, accountId, now, [
      agentId,
      this.#node,
      now + this.#graceMs,
      now + this.#connectedMs,
      online ? '1' : '0',
      options.restore ? '1' : '0',
    ]);
  }

  async #change(
    script: LuaScript,
    accountId: string,
    now: number,
    args: readonly (string | number)[],
  ): Promise<PresenceChange> {
    const reply = await script
      .run(this.#redis, [], [this.#prefix, accountId, now, ...args])
      .catch((error) => {
        this.#cutOff = true;
        throw error;
      });
    const [before, after] = reply as [number, number];
    return { before, after };
  }

  async #unchanged(accountId: string): Promise<PresenceChange> {
    const count = await this.count(accountId);
    return { before: count, after: count };
  }

  /** Runs `task` every `ms` of the clock, with the time it came due, until `close()`. */
  #every(ms: number, task: (now: number) => Promise<void>): void {
    const arm = (at: number) => {
      const cancel = this.#clock.at(at, () => {
        this.#timers.delete(cancel);
        if (this.#closed) return;
        const now = this.#clock.now();
        void this.#then(() => task(now));
        arm(now + ms);
      });
      this.#timers.add(cancel);
    };
    arm(this.#clock.now() + ms);
  }

  /** Queues `task` after the others; a failure goes to `onError`, and the next task runs whatever came of it. */
  #then(task: () => Promise<void>): Promise<void> {
    const run = this.#work.then(task).catch((error: unknown) => {
      this.#cutOff = true;
      this.#onError(error);
    });
    this.#work = run.catch(() => {});
    return run;
  }

  async #checkLapses(now: number): Promise<void> {
    for (;;) {
      const reply = (await LAPSE.run(this.#redis, [], [this.#prefix, '', now, LAPSE_BATCH])) as Array<
        string | number
      >;
      for (let i = 1; i + 2 < reply.length; i += 3) {
        const change = { before: Number(reply[i + 1]), after: Number(reply[i + 2]) };
        try {
          this.#onLapse(String(reply[i]), change);
        } catch (error) {
          this.#onError(error);
        }
      }
      if (Number(reply[0]) < LAPSE_BATCH) return;
    }
  }

  async #heartbeat(now: number): Promise<void> {
    const restore = this.#cutOff;
    const held: Array<{ accountId: string; agentId: string; agent: LocalAgent; changes: number }> = [];
    for (const [accountId, agents] of this.#local)
      for (const [agentId, agent] of agents)
        if (agent.sockets > 0) held.push({ accountId, agentId, agent, changes: agent.changes });
    for (let start = 0; start < held.length; start += HEARTBEAT_BATCH) {
      const batch = held.slice(start, start + HEARTBEAT_BATCH);
      const statuses = (await HEARTBEAT.run(
        this.#redis,
        [],
        [
          this.#prefix,
          '',
          now,
          this.#node,
          now + this.#graceMs,
          now + this.#connectedMs,
          ...batch.flatMap(({ accountId, agentId }) => [accountId, agentId]),
        ],
      )) as string[];
      for (const [i, { accountId, agentId, agent, changes }] of batch.entries()) {
        const status = statuses[i];
        if (status) agent.online = status === '1';
        // Unless a socket of the agent opened or closed here since, what Redis said still holds.
        else if (agent.changes === changes && this.#local.get(accountId)?.get(agentId) === agent)
          if (restore) await this.#restore(accountId, agentId, agent);
          else this.#forgetLocally(accountId, agentId);
      }
    }
    this.#cutOff = false;
  }

  /** Brings back an agent this node holds sockets of, lost while it was cut off from Redis. */
  async #restore(accountId: string, agentId: string, agent: LocalAgent): Promise<void> {
    const change = await this.#connect(accountId, agentId, agent.online, { restore: true });
    if (change.before === change.after) return;
    try {
      this.#onLapse(accountId, change);
    } catch (error) {
      this.#onError(error);
    }
  }
}
