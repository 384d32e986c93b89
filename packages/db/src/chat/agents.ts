import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** `owner`: the account holder; `admin`: runs the account with them; `agent`: answers chats. */
export const AGENT_ROLES = ['owner', 'admin', 'agent'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** The languages the dashboard speaks. */
export const DASHBOARD_LANGUAGES = ['en', 'de'] as const;
export type DashboardLanguage = (typeof DASHBOARD_LANGUAGES)[number];

/** An agent as the dashboard shows it: never the password hash. */
export interface Agent {
  id: string;
  accountId: string;
  email: string;
  name: string;
  /** What visitors see of them: their display name, else their initials, else their name (RET-2). */
  publicName: string;
  role: AgentRole;
  /** The status the agent chose: online agents take chats when they have the dashboard open. */
  online: boolean;
  createdAt: number;
  /** The dashboard's language the agent chose, or null while the dashboard follows their browser. */
  language: DashboardLanguage | null;
}

const columns = ({ agents }: Tables) => ({
  id: agents.id,
  accountId: agents.accountId,
  email: agents.email,
  name: agents.name,
  publicName: sql<string>`coalesce(${agents.displayName}, ${agents.initials}, ${agents.name})`,
  role: agents.role,
  online: agents.online,
  createdAt: agents.createdAt,
  language: agents.language,
});

/** Emails are compared without regard to case or surrounding space, as people type them. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** An active (not removed) agent by id. With `accountId`, only if the agent belongs to that account. */
export async function getAgent(db: ParleyDb, agentId: string, accountId?: string): Promise<Agent | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.agents)
      .where(
        and(
          eq(t.agents.id, agentId),
          isNull(t.agents.removedAt),
          accountId === undefined ? undefined : eq(t.agents.accountId, accountId),
        ),
      ),
  );
}

/** For sign-in: the active agent with this email, with the stored password hash to verify against. */
export async function findAgentForSignIn(
  db: ParleyDb,
  email: string,
): Promise<(Agent & { passwordHash: string | null }) | null> {
  // Emails are stored normalised, so the unique index finds the row however the address was typed.
  return readOne(db, (o, t) =>
    o
      .select({ ...columns(t), passwordHash: t.agents.passwordHash })
      .from(t.agents)
      .where(and(eq(t.agents.email, normalizeEmail(email)), isNull(t.agents.removedAt))),
  );
}

/** Any agent row, active or removed, that uses this email (emails are unique across the installation). */
export async function findAgentByEmail(
  db: ParleyDb,
  email: string,
): Promise<{ id: string; accountId: string; removed: boolean } | null> {
  const row = await readOne(db, (o, { agents }) =>
    o
      .select({ id: agents.id, accountId: agents.accountId, removedAt: agents.removedAt })
      .from(agents)
      .where(eq(agents.email, normalizeEmail(email))),
  );
  return row ? { id: row.id, accountId: row.accountId, removed: row.removedAt !== null } : null;
}

const ROLE_ORDER: Record<AgentRole, number> = { owner: 0, admin: 1, agent: 2 };

/** The account's active agents, the owner first, then admins, then agents, each by name. */
export async function listAgents(db: ParleyDb, accountId: string): Promise<Agent[]> {
  const found = await read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.agents)
      .where(and(eq(t.agents.accountId, accountId), isNull(t.agents.removedAt)))
      .orderBy(asc(t.agents.name)),
  );
  return found.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/** Records the status an agent chose. Returns false if the agent is not an active agent of the account. */
export async function setAgentOnline(
  db: ParleyDb,
  accountId: string,
  agentId: string,
  online: boolean,
): Promise<boolean> {
  const changed = await write(db, (o, { agents }) =>
    o
      .update(agents)
      .set({ online })
      .where(and(eq(agents.id, agentId), eq(agents.accountId, accountId), isNull(agents.removedAt))),
  );
  return changed === 1;
}

/**
 * Makes an agent of the account an admin or a plain agent. The owner's role is not changed here (ownership is not
 * handed over this way). Returns false if there is no such agent, or it is the owner.
 */
export async function setAgentRole(
  db: ParleyDb,
  input: { accountId: string; agentId: string; role: Exclude<AgentRole, 'owner'> },
): Promise<boolean> {
  const changed = await write(db, (o, { agents }) =>
    o
      .update(agents)
      .set({ role: input.role })
      .where(
        and(
          eq(agents.id, input.agentId),
          eq(agents.accountId, input.accountId),
          isNull(agents.removedAt),
          ne(agents.role, 'owner'),
        ),
      ),
  );
  return changed === 1;
}

/** Hands the agent's active conversations back to the queue (waiting, nobody's); returns their ids. */
async function requeueHeldConversations(db: ParleyDb, accountId: string, agentId: string): Promise<string[]> {
  const held = await read(db, (o, { conversations }) =>
    o
      .update(conversations)
      .set({ status: 'waiting', agentId: null })
      .where(
        and(
          eq(conversations.accountId, accountId),
          eq(conversations.agentId, agentId),
          eq(conversations.status, 'active'),
        ),
      )
      .returning({ id: conversations.id }),
  );
  return held.map((row) => row.id);
}

/**
 * An agent signed out (or their session ended) and has no dashboard open any more: the chats they were answering
 * go back to the queue, so no visitor waits on someone who has left. Returns the ids of those conversations.
 */
export async function releaseAgentConversations(
  db: ParleyDb,
  input: { accountId: string; agentId: string },
): Promise<string[]> {
  return requeueHeldConversations(db, input.accountId, input.agentId);
}

/**
 * Agents who chose "online" and still hold a live sign-in: after a restart, the ones whose dashboards are about to
 * reconnect.
 */
export async function listAvailableSignedInAgents(
  db: ParleyDb,
  now = Date.now(),
): Promise<Array<{ accountId: string; agentId: string }>> {
  return read(db, (o, { agents, sessions }) =>
    o
      .selectDistinct({ accountId: agents.accountId, agentId: agents.id })
      .from(agents)
      .innerJoin(sessions, and(eq(sessions.userKind, 'agent'), eq(sessions.userId, agents.id)))
      .where(and(eq(agents.online, true), isNull(agents.removedAt), gt(sessions.expiresAt, now))),
  );
}

/**
 * Removes an agent from an account: marks the row removed (its retention clock starts), revokes every session and
 * every open email or password link, and
 * hands the agent's active conversations back to the queue so no visitor is left waiting on someone who has gone.
 * Returns the ids of those conversations, or null if the agent is not an active agent of the account.
 */
export async function removeAgent(
  db: ParleyDb,
  input: { accountId: string; agentId: string; now?: number },
): Promise<{ requeued: string[] } | null> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const removed = await write(db, (o, { agents }) =>
      o
        .update(agents)
        .set({ removedAt: now, online: false })
        .where(
          and(eq(agents.id, input.agentId), eq(agents.accountId, input.accountId), isNull(agents.removedAt)),
        ),
    );
    if (removed !== 1) return null;
    await write(db, (o, { sessions }) =>
      o.delete(sessions).where(and(eq(sessions.userKind, 'agent'), eq(sessions.userId, input.agentId))),
    );
    // RET-2: a removed agent's email and password links go with their sign-in.
    await write(db, (o, { personLinks }) =>
      o.delete(personLinks).where(eq(personLinks.agentId, input.agentId)),
    );
    // SEC-1: and so does their second factor.
    await write(db, (o, { secondFactors }) =>
      o.delete(secondFactors).where(eq(secondFactors.agentId, input.agentId)),
    );
    return { requeued: await requeueHeldConversations(db, input.accountId, input.agentId) };
  });
}
