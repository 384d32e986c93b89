import { and, eq, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newOrderedId } from '../ids.ts';
import { readOne, rows, write } from '../statements.ts';

/**
 * An internal note on a conversation: for the account's agents only. It is never sent to the visitor nor mailed in a
 * transcript, but it is data about the visitor, so their access export holds it and their erasure removes it (the
 * classification links it to them).
 */
export interface NoteRecord {
  id: string;
  conversationId: string;
  agentId: string | null;
  /** The writer's name as the account's agents know them; null once the agent is gone. */
  agentName: string | null;
  body: string;
  createdAt: number;
}

const NOTE_SELECT = `SELECT n.id, n.conversation_id AS "conversationId", n.agent_id AS "agentId",
  g.name AS "agentName", n.body, n.created_at AS "createdAt"
  FROM notes n LEFT JOIN agents g ON g.id = n.agent_id`;

/**
 * Stores a note by `agentId` on one of the account's conversations, inside the caller's transaction if there is one.
 * Null if the account has no such conversation.
 */
export async function addNote(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; agentId: string; body: string; now?: number },
): Promise<NoteRecord | null> {
  const conversation = await readOne(db, (o, { conversations: c }) =>
    o
      .select({ visitorId: c.visitorId })
      .from(c)
      .where(and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId))),
  );
  if (!conversation) return null;
  const createdAt = input.now ?? Date.now();
  const id = newOrderedId('not', createdAt);
  await write(db, (o, { notes }) =>
    o.insert(notes).values({
      id,
      conversationId: input.conversationId,
      accountId: input.accountId,
      visitorId: conversation.visitorId,
      agentId: input.agentId,
      body: input.body,
      createdAt,
    }),
  );
  const stored = await listNotes(db, input.accountId, input.conversationId, id);
  return stored[0] ?? null;
}

/** The notes of one of the account's conversations, oldest first; with `id`, only that note. */
export async function listNotes(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
  id?: string,
): Promise<NoteRecord[]> {
  return rows<NoteRecord>(
    db,
    sql`${sql.raw(NOTE_SELECT)} WHERE n.conversation_id = ${conversationId} AND n.account_id = ${accountId}
      ${id === undefined ? sql`` : sql`AND n.id = ${id}`} ORDER BY n.created_at, n.id`,
  );
}
