import { and, eq, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { lockFor, readOne, rows, write } from '../statements.ts';
import { transaction } from '../transaction.ts';
import { ensureDepartment } from './departments.ts';
import { addNote, type NoteRecord } from './notes.ts';
import { VISITOR_SOCKET_KEY } from './visitors.ts';

/**
 * Routing: a new chat goes to an available agent of its department (or of the account, without one) who holds fewer
 * chats than their capacity, round robin: the agent given a chat least recently first. Nobody free: it waits in the
 * queue, oldest first, until an agent comes online, frees a place or joins the department. An account routes its
 * chats once it has a department (`accountRoutesChats`); the functions here route whenever they are called.
 *
 * Several server nodes route at once. A conversation is taken by one conditional UPDATE that only succeeds while it
 * is still waiting and unassigned, so two nodes never give it to two agents; the agent's count of chats is checked in
 * the same statement, under a lock on the agent, so two nodes never fill the same last place twice.
 */

/**
 * Whether the account routes its chats: from its first department on. Until then, as before routing existed, a chat
 * waits for whichever agent answers it first, and nobody is told a place in a queue.
 */
export async function accountRoutesChats(db: ParleyDb, accountId: string): Promise<boolean> {
  const found = await readOne(db, (o, { departments: d }) =>
    o.select({ id: d.id }).from(d).where(eq(d.accountId, accountId)).limit(1),
  );
  return found !== null;
}

/** SQL: how many chats the agent `agent` (an id, or a column) holds now. */
const heldBy = (accountId: string, agent: SQL): SQL =>
  sql`(SELECT count(*) FROM conversations h WHERE h.account_id = ${accountId} AND h.agent_id = ${agent}
    AND h.status = 'active')`;

/**
 * The agents among `candidates` (the account's agents available now) who may take a chat of `departmentId`, the
 * least recently given one first. Those at capacity are left out here already; the claim checks again.
 */
async function freeAgents(
  db: ParleyDb,
  input: { accountId: string; departmentId: string | null; candidates: readonly string[] },
): Promise<string[]> {
  if (input.candidates.length === 0) return [];
  const member =
    input.departmentId === null
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM department_agents m WHERE m.agent_id = a.id
          AND m.department_id = ${input.departmentId})`;
  const found = await rows<{ id: string }>(
    db,
    sql`SELECT a.id FROM agents a WHERE a.account_id = ${input.accountId} AND a.removed_at IS NULL
      AND a.id IN (${sql.join(
        input.candidates.map((id) => sql`${id}`),
        sql`, `,
      )}) ${member}
      AND ${heldBy(input.accountId, sql.raw('a.id'))} < a.capacity
      ORDER BY coalesce(a.last_assigned_at, -1), a.id`,
  );
  return found.map((agent) => agent.id);
}

/**
 * The one statement that gives a waiting, unassigned conversation to an agent with a free place, run under a lock on
 * the agent so that the count it checks is not changing underneath. True if this call took it.
 */
async function claim(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; agentId: string; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    await lockFor(db, `route-agent:${input.agentId}`);
    const { accountId, agentId } = input;
    const taken = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set({ status: 'active', agentId })
        .where(
          and(
            eq(c.id, input.conversationId),
            eq(c.accountId, accountId),
            isNull(c.agentId),
            eq(c.status, 'waiting'),
            sql`${heldBy(accountId, sql`${agentId}`)} < (SELECT g.capacity FROM agents g WHERE g.id = ${agentId})`,
          ),
        ),
    );
    if (taken === 1)
      await write(db, (o, { agents: a }) =>
        o.update(a).set({ lastAssignedAt: input.now }).where(eq(a.id, agentId)),
      );
    return taken === 1;
  });
}

/** Whether the conversation is still waiting for an agent. */
async function stillWaiting(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<{ departmentId: string | null } | null> {
  return readOne(db, (o, { conversations: c }) =>
    o
      .select({ departmentId: c.departmentId })
      .from(c)
      .where(
        and(eq(c.id, conversationId), eq(c.accountId, accountId), isNull(c.agentId), eq(c.status, 'waiting')),
      ),
  );
}

/**
 * Gives a waiting conversation to the next free agent among `candidates` (the account's agents available now).
 * Returns the agent who took it, or null when it still waits: nobody free, or it was taken meanwhile (by another
 * node's routing or an agent answering).
 */
export async function routeConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; candidates: readonly string[]; now?: number },
): Promise<string | null> {
  const now = input.now ?? Date.now();
  const waiting = await stillWaiting(db, input.accountId, input.conversationId);
  if (!waiting) return null;
  const agents = await freeAgents(db, { ...input, departmentId: waiting.departmentId });
  for (const agentId of agents) {
    if (await claim(db, { ...input, agentId, now })) return agentId;
    // Taken by someone else, or this agent filled up meanwhile: only the second is worth another try.
    if (!(await stillWaiting(db, input.accountId, input.conversationId))) return null;
  }
  return null;
}

/** A conversation the queue gave to an agent. */
export interface Routed {
  conversationId: string;
  agentId: string;
}

/** The account's waiting, unassigned conversations, oldest first, with their departments and visitors' socket keys. */
async function queued(
  db: ParleyDb,
  accountId: string,
): Promise<Array<{ id: string; departmentId: string | null; chatIdHash: string | null }>> {
  return rows(
    db,
    sql`SELECT c.id, c.department_id AS "departmentId", ${sql.raw(VISITOR_SOCKET_KEY)} AS "chatIdHash"
      FROM conversations c JOIN visitors v ON v.id = c.visitor_id
      WHERE c.account_id = ${accountId} AND c.status = 'waiting' AND c.agent_id IS NULL
      ORDER BY c.started_at, c.id`,
  );
}

/**
 * Runs the account's queue, oldest chat first, after something freed a place: an agent came online, closed a chat,
 * or joined a department. Returns the conversations given to agents.
 */
export async function routeQueue(
  db: ParleyDb,
  input: { accountId: string; candidates: readonly string[]; now?: number },
): Promise<Routed[]> {
  if (input.candidates.length === 0) return [];
  const routed: Routed[] = [];
  for (const conversation of await queued(db, input.accountId)) {
    const agentId = await routeConversation(db, { ...input, conversationId: conversation.id });
    if (agentId) routed.push({ conversationId: conversation.id, agentId });
  }
  return routed;
}

/** A waiting conversation's place in its queue, with what routes a frame to its visitor's sockets. */
export interface QueuePlace {
  conversationId: string;
  /** From 1: among the account's waiting chats of the same department (or, without one, of none), oldest first. */
  position: number;
  /** The visitor's socket key (`VISITOR_SOCKET_KEY`); null once they opted out. */
  chatIdHash: string | null;
}

/** The account's queue: every waiting, unassigned conversation with its place. */
export async function listQueue(db: ParleyDb, accountId: string): Promise<QueuePlace[]> {
  const counts = new Map<string | null, number>();
  return (await queued(db, accountId)).map((conversation) => {
    const position = (counts.get(conversation.departmentId) ?? 0) + 1;
    counts.set(conversation.departmentId, position);
    return { conversationId: conversation.id, position, chatIdHash: conversation.chatIdHash };
  });
}

/** Where an agent hands a chat: to another agent, or to a department's routing. */
export type TransferTarget = { agentId: string } | { departmentId: string };

/** A transfer refused. */
export class TransferError extends Error {
  constructor(
    readonly code: 'not_found' | 'conversation_closed' | 'unknown_agent',
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/**
 * Hands one of the account's open conversations to another agent (it becomes theirs at once, whatever their count
 * of chats: a person chose them) or to a department (it waits for that department's routing, which the caller runs).
 * The note, if any, is stored as an internal note by `byAgentId`, in the same transaction.
 */
export async function transferConversation(
  db: ParleyDb,
  input: {
    accountId: string;
    conversationId: string;
    byAgentId: string;
    to: TransferTarget;
    note?: string | null;
    now?: number;
  },
): Promise<{ note: NoteRecord | null }> {
  const now = input.now ?? Date.now();
  const { accountId, to } = input;
  return transaction(db, async () => {
    if ('agentId' in to) await ensureActiveAgent(db, accountId, to.agentId);
    else await ensureDepartment(db, accountId, to.departmentId);
    const changed = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set(
          'agentId' in to
            ? { agentId: to.agentId, status: 'active' }
            : { departmentId: to.departmentId, agentId: null, status: 'waiting' },
        )
        .where(and(eq(c.id, input.conversationId), eq(c.accountId, accountId), ne(c.status, 'closed'))),
    );
    if (changed === 0) {
      const exists = await readOne(db, (o, { conversations: c }) =>
        o
          .select({ id: c.id })
          .from(c)
          .where(and(eq(c.id, input.conversationId), eq(c.accountId, accountId))),
      );
      throw exists
        ? new TransferError('conversation_closed', 'this conversation has ended')
        : new TransferError('not_found', 'there is no such conversation');
    }
    if ('agentId' in to)
      await write(db, (o, { agents: a }) =>
        o.update(a).set({ lastAssignedAt: now }).where(eq(a.id, to.agentId)),
      );
    const text = input.note?.trim();
    const note = text
      ? await addNote(db, {
          accountId,
          conversationId: input.conversationId,
          agentId: input.byAgentId,
          body: text,
          now,
        })
      : null;
    return { note };
  });
}

async function ensureActiveAgent(db: ParleyDb, accountId: string, agentId: string): Promise<void> {
  const found = await readOne(db, (o, { agents: a }) =>
    o
      .select({ id: a.id })
      .from(a)
      .where(and(eq(a.id, agentId), eq(a.accountId, accountId), isNull(a.removedAt))),
  );
  if (!found) throw new TransferError('unknown_agent', 'there is no such agent in this account');
}
