import type { Bus } from '@parley/live';

/**
 * What travels between the sockets of an installation, on the bus of `@parley/live` (one process's, or Redis for
 * several nodes). Messages are plain JSON.
 */
export type ServerBus = Bus<BusMessage>;

export type BusMessage =
  /** A protocol frame for every socket on the topic, except the one whose id is `skip` (the sender's). */
  | { kind: 'frame'; frame: { type: string } & Record<string, unknown>; skip?: string }
  /**
   * Close every socket on the topic, e.g. when an agent is removed or signs out. With `blockId`, a visitor being
   * blocked: each socket first gives the block the network it connects from, if the block has none.
   */
  | { kind: 'disconnect'; code: number; reason: string; blockId?: string };

/** Topic names, in one place so publishers and subscribers agree. All are scoped by account (tenant isolation). */
export const topics = {
  /** Every agent socket of an account: new conversations, messages, visitor typing, presence. */
  agents: (accountId: string) => `account:${accountId}:agents`,
  /** Every visitor socket of an account: whether any agent is online. */
  visitors: (accountId: string) => `account:${accountId}:visitors`,
  /** Every socket of one visitor (one chat id, possibly several tabs). */
  chat: (accountId: string, chatIdHash: string) => `chat:${accountId}:${chatIdHash}`,
  /** Every socket of one agent. */
  agent: (agentId: string) => `agent:${agentId}`,
  /** Every socket opened with one sign-in. */
  session: (sessionId: string) => `session:${sessionId}`,
} as const;
