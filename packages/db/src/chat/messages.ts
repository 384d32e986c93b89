import { type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { rows } from '../statements.ts';

export type MessageAuthor = 'visitor' | 'agent' | 'system';

export interface MessageRecord {
  id: string;
  conversationId: string;
  accountId: string;
  visitorId: string;
  author: MessageAuthor;
  agentId: string | null;
  /** The agent's display name for agent messages, as it is now. */
  agentName: string | null;
  body: string;
  clientKey: string;
  createdAt: number;
}

/**
 * SQL over the agents table aliased `g`: the name visitors see (RET-2: the agent's display name, else their initials,
 * else their name).
 */
export const AGENT_PUBLIC_NAME = 'coalesce(g.display_name, g.initials, g.name)';

/** Selects a message with its agent's public name; `m` is the messages table. SQL text with no parameters. */
export const MESSAGE_SELECT = `SELECT m.id, m.conversation_id AS "conversationId",
  m.account_id AS "accountId", m.visitor_id AS "visitorId", m.author, m.agent_id AS "agentId", ${AGENT_PUBLIC_NAME} AS "agentName",
  m.body, m.client_key AS "clientKey", m.created_at AS "createdAt"
  FROM messages m LEFT JOIN agents g ON g.id = m.agent_id`;

/**
 * SQL over the messages table aliased `m`: the order messages were written in, which breaks ties between messages
 * of the same millisecond (their ids are ordered by time only to the millisecond). SQLite keeps it as the rowid;
 * PostgreSQL, which has no rowid, in the `write_order` identity column, which only its schema has.
 */
export const messageWriteOrder = (db: ParleyDb): SQL =>
  sql.raw(db.dialect === 'postgres' ? 'm.write_order' : 'm.rowid');

/** A conversation's messages in the order they were written, only if the conversation is the account's. */
export async function listMessages(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<MessageRecord[]> {
  return rows<MessageRecord>(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE m.conversation_id = ${conversationId} AND m.account_id = ${accountId}
      ORDER BY m.created_at, ${messageWriteOrder(db)}`,
  );
}
