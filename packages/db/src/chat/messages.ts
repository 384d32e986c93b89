import { type ParleyDb, sqliteOf } from '../connection.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

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

/** Selects a message with its agent's name; `m` is the messages table. */
export const MESSAGE_SELECT = `SELECT m.id, m.conversation_id AS "conversationId", m.account_id AS "accountId",
  m.visitor_id AS "visitorId", m.author, m.agent_id AS "agentId", g.name AS "agentName", m.body,
  m.client_key AS "clientKey", m.created_at AS "createdAt"
  FROM messages m LEFT JOIN agents g ON g.id = m.agent_id`;

/**
 * SQL: the order messages were written in, which breaks ties between messages of the same millisecond (their ids
 * are ordered by time only to the millisecond). SQLite's rowid: no column of the table records it, so this is the
 * one term of the chat queries that a PostgreSQL store must say its own way.
 */
export const MESSAGE_WRITE_ORDER = 'm.rowid';

/** A conversation's messages in the order they were written, only if the conversation is the account's. */
export async function listMessages(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<MessageRecord[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  return sqliteOf(db)
    .prepare(
      `${MESSAGE_SELECT} WHERE m.conversation_id = ? AND m.account_id = ? ORDER BY m.created_at, ${MESSAGE_WRITE_ORDER}`,
    )
    .all(conversationId, accountId) as MessageRecord[];
}
