import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { agents, conversations, sessions } from '../schema.ts';

export type AgentRole = 'owner' | 'agent';

/** An agent as the dashboard shows it: never the password hash. */
export interface Agent {
  id: string;
  accountId: string;
  email: string;
  name: string;
  role: AgentRole;
  /** The status the agent chose: online agents take chats when they have the dashboard open. */
  online: boolean;
  createdAt: number;
}

const columns = {
  id: agents.id,
  accountId: agents.accountId,
  email: agents.email,
  name: agents.name,
  role: agents.role,
  online: agents.online,
  createdAt: agents.createdAt,
};

/** Emails are compared without regard to case or surrounding space, as people type them. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** An active (not removed) agent by id. With `accountId`, only if the agent belongs to that account. */
export async function getAgent(db: ParleyDb, agentId: string, accountId?: string): Promise<Agent | null> {
  const scope = accountId === undefined ? undefined : eq(agents.accountId, accountId);
  return (
    db.orm
      .select(columns)
      .from(agents)
      .where(and(eq(agents.id, agentId), isNull(agents.removedAt), scope))
      .get() ?? null
  );
}

/** For sign-in: the active agent with this email, with the stored password hash to verify against. */
export async function findAgentForSignIn(
  db: ParleyDb,
  email: string,
): Promise<(Agent & { passwordHash: string | null }) | null> {
  // Emails are stored normalised, so the unique index finds the row however the address was typed.
  return (
    db.orm
      .select({ ...columns, passwordHash: agents.passwordHash })
      .from(agents)
      .where(and(eq(agents.email, normalizeEmail(email)), isNull(agents.removedAt)))
      .get() ?? null
  );
}

/** Any agent row, active or removed, that uses this email (emails are unique across the installation). */
export async function findAgentByEmail(
  db: ParleyDb,
  email: string,
): Promise<{ id: string; accountId: string; removed: boolean } | null> {
  const row = db.orm
    .select({ id: agents.id, accountId: agents.accountId, removedAt: agents.removedAt })
    .from(agents)
    .where(eq(agents.email, normalizeEmail(email)))
    .get();
  return row ? { id: row.id, accountId: row.accountId, removed: row.removedAt !== null } : null;
}

/** The account's active agents, owners first, then by name. */
export async function listAgents(db: ParleyDb, accountId: string): Promise<Agent[]> {
  return db.orm
    .select(columns)
    .from(agents)
    .where(and(eq(agents.accountId, accountId), isNull(agents.removedAt)))
    .orderBy(asc(agents.name))
    .all()
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'owner' ? -1 : 1));
}

/** Records the status an agent chose. Returns false if the agent is not an active agent of the account. */
export async function setAgentOnline(
  db: ParleyDb,
  accountId: string,
  agentId: string,
  online: boolean,
): Promise<boolean> {
  const result = db.orm
    .update(agents)
    .set({ online })
    .where(and(eq(agents.id, agentId), eq(agents.accountId, accountId), isNull(agents.removedAt)))
    .run();
  return result.changes === 1;
}

/**
 * Removes an agent from an account: marks the row removed (its retention clock starts), revokes every session, and
 * hands the agent's active conversations back to the queue so no visitor is left waiting on someone who has gone.
 * Returns the ids of those conversations, or null if the agent is not an active agent of the account.
 */
export async function removeAgent(
  db: ParleyDb,
  input: { accountId: string; agentId: string; now?: number },
): Promise<{ requeued: string[] } | null> {
  const now = input.now ?? Date.now();
  return db.sqlite.transaction(() => {
    const removed = db.orm
      .update(agents)
      .set({ removedAt: now, online: false })
      .where(
        and(eq(agents.id, input.agentId), eq(agents.accountId, input.accountId), isNull(agents.removedAt)),
      )
      .run();
    if (removed.changes !== 1) return null;
    db.orm
      .delete(sessions)
      .where(and(eq(sessions.userKind, 'agent'), eq(sessions.userId, input.agentId)))
      .run();
    const requeued = db.orm
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.accountId, input.accountId),
          eq(conversations.agentId, input.agentId),
          eq(conversations.status, 'active'),
        ),
      )
      .all()
      .map((row) => row.id);
    if (requeued.length > 0) {
      db.orm
        .update(conversations)
        .set({ status: 'waiting', agentId: null })
        .where(inArray(conversations.id, requeued))
        .run();
    }
    return { requeued };
  })();
}
