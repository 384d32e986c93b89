import { count, eq, lte, sql } from 'drizzle-orm';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { hashChatId, newId, newOrderedId } from './ids.ts';
import { SEARCH_STRUCTURES } from './search/search-index.ts';
import { readOne, run, type Tables, write } from './statements.ts';
import { transaction, whenFree } from './transaction.ts';

export { rebuildSearchIndexes } from './search/search-index.ts';

/**
 * Bulk data and counts for the benchmarks (`@parley/db/bench`), never for the apps. The app's own functions insert
 * one row at a time, which would make a million rows take minutes: on SQLite rows are written with prepared
 * statements in one transaction, on PostgreSQL in multi-row inserts, a batch of visitors per transaction. Ids are
 * the app's random ids, so the indexes see the same random insertion order they do in production.
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
  /** The text of each message, by the visitor's and the message's number; `bodyBytes` of `x` without it. */
  bodies?: (visitor: number, message: number) => string;
  /** What each visitor's conversation was like, by the visitor's number: for searches and filters to find. */
  details?: (visitor: number) => ConversationDetails;
}

/** A conversation's own facts, beyond its visitor and messages; a tag is put on it as an agent would. */
export interface ConversationDetails {
  startedAt?: number;
  agentId?: string | null;
  rating?: number | null;
  websiteId?: string | null;
  departmentId?: string | null;
  tagId?: string | null;
}

type Visitor = Tables['visitors']['$inferInsert'];
type Conversation = Tables['conversations']['$inferInsert'];
type Message = Tables['messages']['$inferInsert'];

type ConversationTag = Tables['conversationTags']['$inferInsert'];

/** One visitor of the spec, their conversation and its messages, as rows; visitor and agent take turns. */
function visitorRows(spec: ConversationSpec, v: number) {
  const body = 'x'.repeat(spec.bodyBytes ?? 100);
  const details = spec.details?.(v) ?? {};
  const startedAt = details.startedAt ?? (spec.closedAt ?? spec.lastSeenAt) - 3_600_000;
  const visitorId = newId('vis');
  const conversationId = newId('cnv');
  const visitor: Visitor = {
    id: visitorId,
    accountId: spec.accountId,
    chatIdHash: hashChatId(newId('chat')),
    persistent: true,
    name: `Visitor ${v}`,
    email: `visitor${v}.${visitorId.slice(4, 12)}@example.org`,
    createdAt: startedAt,
    lastSeenAt: spec.lastSeenAt,
  };
  const conversation: Conversation = {
    id: conversationId,
    accountId: spec.accountId,
    visitorId,
    status: spec.closedAt === null ? 'active' : 'closed',
    startedAt,
    closedAt: spec.closedAt,
    agentId: details.agentId ?? null,
    rating: details.rating ?? null,
    websiteId: details.websiteId ?? null,
    departmentId: details.departmentId ?? null,
  };
  const tags: ConversationTag[] = details.tagId
    ? [{ conversationId, tagId: details.tagId, accountId: spec.accountId, visitorId, createdAt: startedAt }]
    : [];
  const messages = Array.from(
    { length: spec.messagesPerVisitor },
    (_, m): Message => ({
      id: newOrderedId('msg', startedAt + m),
      conversationId,
      accountId: spec.accountId,
      visitorId,
      author: m % 2 === 0 ? 'visitor' : 'agent',
      body: spec.bodies?.(v, m) ?? body,
      clientKey: `key_${String(m).padStart(8, '0')}`,
      createdAt: startedAt + m,
    }),
  );
  return { visitor, conversation, messages, tags };
}

/** SQLite: prepared statements in one synchronous transaction, the fastest way into one file. */
function insertIntoSqlite(db: ParleyDb, spec: ConversationSpec): string[] {
  const s = sqliteOf(db);
  const insertVisitor = s.prepare(
    `INSERT INTO visitors (id, account_id, chat_id_hash, persistent, name, email, created_at, last_seen_at)
     VALUES (?, ?, ?, TRUE, ?, ?, ?, ?)`,
  );
  const insertConversation = s.prepare(
    `INSERT INTO conversations (id, account_id, visitor_id, status, started_at, closed_at, agent_id, rating,
       website_id, department_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTag = s.prepare(
    `INSERT INTO conversation_tags (conversation_id, tag_id, account_id, visitor_id, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const insertMessage = s.prepare(
    `INSERT INTO messages (id, conversation_id, account_id, visitor_id, author, body, client_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  s.transaction(() => {
    for (let v = 0; v < spec.visitors; v++) {
      const { visitor: p, conversation: c, messages, tags } = visitorRows(spec, v);
      insertVisitor.run(p.id, p.accountId, p.chatIdHash, p.name, p.email, p.createdAt, p.lastSeenAt);
      insertConversation.run(
        c.id,
        c.accountId,
        c.visitorId,
        c.status,
        c.startedAt,
        c.closedAt,
        c.agentId,
        c.rating,
        c.websiteId,
        c.departmentId,
      );
      for (const t of tags) insertTag.run(t.conversationId, t.tagId, t.accountId, t.visitorId, t.createdAt);
      for (const m of messages)
        insertMessage.run(
          m.id,
          m.conversationId,
          m.accountId,
          m.visitorId,
          m.author,
          m.body,
          m.clientKey,
          m.createdAt,
        );
      ids.push(p.id);
    }
  })();
  return ids;
}

/**
 * Rows per multi-row insert on PostgreSQL: drizzle takes longer per row to build larger statements, and a statement
 * may carry at most 65,535 parameters (eight a message).
 */
const ROWS_PER_INSERT = 1_000;
/** Messages per PostgreSQL transaction, with their visitors and conversations. */
const MESSAGES_PER_TRANSACTION = 20_000;

function* batches<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** PostgreSQL: multi-row inserts, in a transaction for every batch of visitors with their messages. */
async function insertIntoPostgres(db: ParleyDb, spec: ConversationSpec): Promise<string[]> {
  const ids: string[] = [];
  const visitorsPerTransaction = Math.max(1, Math.floor(MESSAGES_PER_TRANSACTION / spec.messagesPerVisitor));
  for (let first = 0; first < spec.visitors; first += visitorsPerTransaction) {
    const count = Math.min(visitorsPerTransaction, spec.visitors - first);
    const batch = Array.from({ length: count }, (_, i) => visitorRows(spec, first + i));
    await transaction(db, async () => {
      for (const rows of batches(batch, ROWS_PER_INSERT)) {
        await write(db, (o, t) => o.insert(t.visitors).values(rows.map((r) => r.visitor)));
        await write(db, (o, t) => o.insert(t.conversations).values(rows.map((r) => r.conversation)));
        const tags = rows.flatMap((r) => r.tags);
        if (tags.length > 0) await write(db, (o, t) => o.insert(t.conversationTags).values(tags));
      }
      for (const messages of batches(
        batch.flatMap((r) => r.messages),
        ROWS_PER_INSERT,
      ))
        await write(db, (o, t) => o.insert(t.messages).values(messages));
    });
    ids.push(...batch.map((r) => r.visitor.id));
  }
  return ids;
}

/** Visitors, one conversation each, and their messages. Returns the visitor ids. */
export async function insertConversations(db: ParleyDb, spec: ConversationSpec): Promise<string[]> {
  if (db.dialect === 'postgres') return insertIntoPostgres(db, spec);
  // The driver refuses statements while another's async transaction is open: this one waits its turn instead.
  await whenFree(db);
  return insertIntoSqlite(db, spec);
}

/** How many messages are stored, or how many by one kind of author. */
export async function countMessages(db: ParleyDb, author?: 'visitor' | 'agent' | 'system'): Promise<number> {
  const row = await readOne(db, (o, { messages }) =>
    o
      .select({ n: count() })
      .from(messages)
      .where(author ? eq(messages.author, author) : undefined),
  );
  return row?.n ?? 0;
}

/** How many messages belong to conversations that closed at or before `cutoff`: what a sweep then has to delete. */
export async function countMessagesClosedBy(db: ParleyDb, cutoff: number): Promise<number> {
  const row = await readOne(db, (o, { conversations, messages }) =>
    o
      .select({ n: count() })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(lte(conversations.closedAt, cutoff)),
  );
  return row?.n ?? 0;
}

/**
 * Takes the full-text search's index away, so that a benchmark can measure what it costs each message written: on
 * SQLite the triggers that keep it (the index stays, but misses every message written after), on PostgreSQL its
 * GIN indexes (a search then reads every message). Only a benchmark's throwaway store may be given.
 */
export async function dropSearchIndex(db: ParleyDb): Promise<void> {
  if (db.dialect === 'sqlite') {
    for (const table of ['messages', 'notes'])
      for (const change of ['insert', 'update', 'delete'])
        await run(db, sql`DROP TRIGGER ${sql.identifier(`${table}_search_${change}`)}`);
    return;
  }
  for (const index of Object.keys(SEARCH_STRUCTURES.postgres.indexes))
    await run(db, sql`DROP INDEX ${sql.identifier(index)}`);
}
