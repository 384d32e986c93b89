import { count, eq } from 'drizzle-orm';
import { ormOf, type ParleyDb, sqliteOf } from './connection.ts';
import { hashChatId, newId, newOrderedId } from './ids.ts';
import { messages } from './schema.ts';

/**
 * Bulk data and counts for the benchmarks (`@parley/db/bench`), never for the apps. Rows are written straight into
 * the database with prepared statements in one transaction: the app's own functions insert one row at a time, which
 * would make a million rows take minutes. Ids are the app's random ids, so the indexes see the same random insertion
 * order they do in production.
 */

export interface ConversationSpec {
  accountId: string;
  visitors: number;
  messagesPerVisitor: number;
  /** Milliseconds since the epoch: when the conversations ended, or null to leave them open. */
  closedAt: number | null;
  /** When the visitors were last seen. */
  lastSeenAt: number;
  bodyBytes?: number;
}

/** Visitors, one conversation each, and their messages. Returns the visitor ids. */
export function insertConversations(db: ParleyDb, spec: ConversationSpec): string[] {
  const s = sqliteOf(db);
  const insertVisitor = s.prepare(
    `INSERT INTO visitors (id, account_id, chat_id_hash, persistent, name, email, created_at, last_seen_at)
     VALUES (?, ?, ?, TRUE, ?, ?, ?, ?)`,
  );
  const insertConversation = s.prepare(
    `INSERT INTO conversations (id, account_id, visitor_id, status, started_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = s.prepare(
    `INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, body, client_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const body = 'x'.repeat(spec.bodyBytes ?? 100);
  const startedAt = (spec.closedAt ?? spec.lastSeenAt) - 3_600_000;
  const ids: string[] = [];
  s.transaction(() => {
    for (let v = 0; v < spec.visitors; v++) {
      const visitorId = newId('vis');
      const conversationId = newId('cnv');
      insertVisitor.run(
        visitorId,
        spec.accountId,
        hashChatId(newId('chat')),
        `Visitor ${v}`,
        `visitor${v}.${visitorId.slice(4, 12)}@example.org`,
        startedAt,
        spec.lastSeenAt,
      );
      insertConversation.run(
        conversationId,
        spec.accountId,
        visitorId,
        spec.closedAt === null ? 'active' : 'closed',
        startedAt,
        spec.closedAt,
      );
      for (let m = 0; m < spec.messagesPerVisitor; m++) {
        insertMessage.run(
          newOrderedId('msg', startedAt + m),
          conversationId,
          spec.accountId,
          visitorId,
          m % 2 === 0 ? 'visitor' : 'agent',
          body,
          `key_${String(m).padStart(8, '0')}`,
          startedAt + m,
        );
      }
      ids.push(visitorId);
    }
  })();
  return ids;
}

/** How many messages are stored, or how many by one kind of author. */
export function countMessages(db: ParleyDb, author?: 'visitor' | 'agent' | 'system'): number {
  const [row] = ormOf(db)
    .select({ n: count() })
    .from(messages)
    .where(author ? eq(messages.author, author) : undefined)
    .all();
  return row?.n ?? 0;
}

/** How many messages belong to conversations that closed at or before `cutoff`: what a sweep then has to delete. */
export function countMessagesClosedBy(db: ParleyDb, cutoff: number): number {
  const row = sqliteOf(db)
    .prepare(
      'SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.closed_at <= ?',
    )
    .get(cutoff) as { n: number };
  return row.n;
}
