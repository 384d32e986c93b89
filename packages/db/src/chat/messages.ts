import { type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { rows } from '../statements.ts';

export type MessageAuthor = 'visitor' | 'agent' | 'system';

/** What a file message says of its file; its bytes stay in the store until the file is asked for. */
export interface FileRecord {
  id: string;
  name: string;
  /** Found in the file's bytes, e.g. `image/png`. */
  contentType: string;
  size: number;
  /** An image's pixels across and down; null for a document. */
  width: number | null;
  height: number | null;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  accountId: string;
  visitorId: string;
  author: MessageAuthor;
  agentId: string | null;
  /** The agent's display name for agent messages, as it is now. */
  agentName: string | null;
  /** The text; for a file message, the file's name. */
  body: string;
  clientKey: string;
  createdAt: number;
  /** The file a file message carries, or null. */
  file: FileRecord | null;
}

/**
 * SQL over the agents table aliased `g`: the name visitors see (RET-2: the agent's display name, else their initials,
 * else their name).
 */
export const AGENT_PUBLIC_NAME = 'coalesce(g.display_name, g.initials, g.name)';

/**
 * Selects a message with its agent's public name and its file's details (not its bytes); `m` is the messages table.
 * SQL text with no parameters; read its rows with `messageRows` or `toMessageRecord`.
 */
export const MESSAGE_SELECT = `SELECT m.id, m.conversation_id AS "conversationId",
  m.account_id AS "accountId", m.visitor_id AS "visitorId", m.author, m.agent_id AS "agentId", ${AGENT_PUBLIC_NAME} AS "agentName",
  m.body, m.client_key AS "clientKey", m.created_at AS "createdAt",
  f.id AS "fileId", f.name AS "fileName", f.content_type AS "fileType", f.size AS "fileSize",
  f.width AS "fileWidth", f.height AS "fileHeight"
  FROM messages m LEFT JOIN agents g ON g.id = m.agent_id LEFT JOIN files f ON f.message_id = m.id`;

/** A row of `MESSAGE_SELECT`, its file's details side by side with the message's. */
export type MessageRow = Omit<MessageRecord, 'file'> & {
  fileId: string | null;
  fileName: string | null;
  fileType: string | null;
  fileSize: number | null;
  fileWidth: number | null;
  fileHeight: number | null;
};

/** A row of `MESSAGE_SELECT` as a message, with its file, if any, as one value. */
export function toMessageRecord({
  fileId,
  fileName,
  fileType,
  fileSize,
  fileWidth,
  fileHeight,
  ...message
}: MessageRow): MessageRecord {
  const file =
    fileId === null
      ? null
      : {
          id: fileId,
          name: fileName ?? '',
          contentType: fileType ?? 'application/octet-stream',
          size: Number(fileSize),
          width: fileWidth,
          height: fileHeight,
        };
  return { ...message, file };
}

/** Runs a statement built on `MESSAGE_SELECT` and returns its messages. */
export async function messageRows(db: ParleyDb, statement: SQL): Promise<MessageRecord[]> {
  return (await rows<MessageRow>(db, statement)).map(toMessageRecord);
}

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
  return messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE m.conversation_id = ${conversationId} AND m.account_id = ${accountId}
      ORDER BY m.created_at, ${messageWriteOrder(db)}`,
  );
}
