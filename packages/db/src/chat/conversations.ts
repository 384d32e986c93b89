import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { type ParleyDb, sqliteOf } from '../connection.ts';
import { newId } from '../ids.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';
import { MESSAGE_SELECT, MESSAGE_WRITE_ORDER, type MessageRecord } from './messages.ts';
import { VISITOR_SOCKET_KEY } from './visitors.ts';

export type ConversationStatus = 'waiting' | 'active' | 'closed';

export interface ConversationRecord {
  id: string;
  accountId: string;
  visitorId: string;
  status: ConversationStatus;
  agentId: string | null;
  agentName: string | null;
  startedAt: number;
  firstResponseAt: number | null;
  closedAt: number | null;
  rating: number | null;
  ratingComment: string | null;
  visitor: {
    name: string | null;
    email: string | null;
    country: string | null;
    locale: string | null;
    currentPage: string | null;
    /**
     * For routing frames to the visitor's open sockets: the chat-id hash, or under a privacy signal (where none is
     * kept) the visitor id (`VISITOR_SOCKET_KEY`); null once the visitor opted out.
     */
    chatIdHash: string | null;
  };
  lastMessage: MessageRecord | null;
}

type VisitorFields = ConversationRecord['visitor'];

/** A joined row: the conversation's own columns, then the visitor's, with name and email prefixed. */
type Row = Omit<ConversationRecord, 'visitor' | 'lastMessage'> &
  Omit<VisitorFields, 'name' | 'email'> & {
    visitorName: VisitorFields['name'];
    visitorEmail: VisitorFields['email'];
  };

const SELECT = `SELECT c.id, c.account_id AS "accountId", c.visitor_id AS "visitorId", c.status, c.agent_id AS "agentId",
  g.name AS "agentName", c.started_at AS "startedAt", c.first_response_at AS "firstResponseAt", c.closed_at AS "closedAt",
  c.rating, c.rating_comment AS "ratingComment", v.name AS "visitorName", v.email AS "visitorEmail", v.country,
  v.locale, v.current_page AS "currentPage", ${VISITOR_SOCKET_KEY} AS "chatIdHash"
  FROM conversations c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN agents g ON g.id = c.agent_id`;

function withLastMessages(db: ParleyDb, rows: Row[]): ConversationRecord[] {
  const last = sqliteOf(db).prepare(
    `${MESSAGE_SELECT} WHERE m.conversation_id = ? ORDER BY m.created_at DESC, ${MESSAGE_WRITE_ORDER} DESC LIMIT 1`,
  );
  return rows.map(
    ({ visitorName, visitorEmail, country, locale, currentPage, chatIdHash, ...conversation }) => ({
      ...conversation,
      visitor: { name: visitorName, email: visitorEmail, country, locale, currentPage, chatIdHash },
      lastMessage: (last.get(conversation.id) as MessageRecord | undefined) ?? null,
    }),
  );
}

/** One of the account's conversations; another account's id is simply not found. */
export async function getConversation(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<ConversationRecord | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = sqliteOf(db)
    .prepare(`${SELECT} WHERE c.id = ? AND c.account_id = ?`)
    .get(conversationId, accountId) as Row | undefined;
  return row ? (withLastMessages(db, [row])[0] ?? null) : null;
}

/** What an agent's dashboard opens with: every conversation of the account that is waiting or active. */
export async function listOpenConversations(db: ParleyDb, accountId: string): Promise<ConversationRecord[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  const rows = sqliteOf(db)
    .prepare(
      `${SELECT} WHERE c.account_id = ? AND c.status IN ('waiting', 'active') ORDER BY c.started_at, c.id`,
    )
    .all(accountId) as Row[];
  return withLastMessages(db, rows);
}

/** Where a page of conversations ends; the next page starts after it. */
export interface ConversationCursor {
  startedAt: number;
  id: string;
}

/**
 * The account's conversations, newest first, a page at a time. With `seenBy`, only those that agent may see: waiting
 * ones and the ones they hold or held.
 */
export async function listConversations(
  db: ParleyDb,
  accountId: string,
  options: { statuses?: ConversationStatus[]; limit: number; after?: ConversationCursor; seenBy?: string },
): Promise<{ items: ConversationRecord[]; next: ConversationCursor | null }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const where = ['c.account_id = @accountId'];
  const args: Record<string, unknown> = { accountId, limit: options.limit + 1 };
  if (options.seenBy !== undefined) {
    where.push(`(c.status = 'waiting' OR c.agent_id = @seenBy)`);
    args.seenBy = options.seenBy;
  }
  if (options.statuses && options.statuses.length > 0) {
    where.push(`c.status IN (${options.statuses.map((_, i) => `@status${i}`).join(', ')})`);
    options.statuses.forEach((status, i) => {
      args[`status${i}`] = status;
    });
  }
  if (options.after) {
    where.push('(c.started_at < @afterStartedAt OR (c.started_at = @afterStartedAt AND c.id < @afterId))');
    args.afterStartedAt = options.after.startedAt;
    args.afterId = options.after.id;
  }
  const rows = sqliteOf(db)
    .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY c.started_at DESC, c.id DESC LIMIT @limit`)
    .all(args) as Row[];
  const page = rows.slice(0, options.limit);
  const lastRow = page[page.length - 1];
  return {
    items: withLastMessages(db, page),
    next: rows.length > options.limit && lastRow ? { startedAt: lastRow.startedAt, id: lastRow.id } : null,
  };
}

/**
 * The conversation a visitor's widget shows: the open one, else the latest closed one if it closed at or after
 * `closedSince` (so a visitor who reloads right after a chat ends can still rate it or ask for its transcript).
 */
export async function findVisitorConversation(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; closedSince: number },
): Promise<ConversationRecord | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = sqliteOf(db)
    .prepare(
      `${SELECT} WHERE c.account_id = @accountId AND c.visitor_id = @visitorId
        AND (c.status IN ('waiting', 'active') OR c.closed_at >= @closedSince)
        ORDER BY CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END, c.started_at DESC LIMIT 1`,
    )
    .get(input) as Row | undefined;
  return row ? (withLastMessages(db, [row])[0] ?? null) : null;
}

/**
 * The visitor's open conversation, started (as `waiting`) if there is none. It must run inside a transaction, so
 * that two tabs sending their first message at once share one conversation; the message writer calls it in the
 * transaction that stores each visitor message.
 */
export function openConversationInTransaction(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; now?: number },
): { conversationId: string; created: boolean } {
  const { findOpen, insert } = openConversationStatements(db);
  const open = findOpen.get(input.accountId, input.visitorId) as { id: string } | undefined;
  if (open) return { conversationId: open.id, created: false };
  const conversationId = newId('cnv');
  insert.run(conversationId, input.accountId, input.visitorId, input.now ?? Date.now());
  return { conversationId, created: true };
}

const openConversationCache = new WeakMap<Database.Database, { findOpen: Statement; insert: Statement }>();

function openConversationStatements(db: ParleyDb): { findOpen: Statement; insert: Statement } {
  let statements = openConversationCache.get(sqliteOf(db));
  if (!statements) {
    statements = {
      findOpen: sqliteOf(db).prepare(
        `SELECT id FROM conversations WHERE account_id = ? AND visitor_id = ? AND status IN ('waiting', 'active')
         ORDER BY started_at DESC LIMIT 1`,
      ),
      insert: sqliteOf(db).prepare(
        `INSERT INTO conversations (id, account_id, visitor_id, status, started_at) VALUES (?, ?, ?, 'waiting', ?)`,
      ),
    };
    openConversationCache.set(sqliteOf(db), statements);
  }
  return statements;
}

/**
 * An agent answers: a waiting (or unassigned) conversation becomes active and theirs, and the first response time is
 * recorded once. Returns whether the assignment changed; closed conversations are left alone.
 */
export async function assignAgent(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; agentId: string; now?: number },
): Promise<{ changed: boolean }> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  return sqliteOf(db).transaction(() => {
    const assigned = sqliteOf(db)
      .prepare(
        `UPDATE conversations SET status = 'active', agent_id = @agentId, first_response_at = coalesce(first_response_at, @now)
         WHERE id = @conversationId AND account_id = @accountId AND status != 'closed'
           AND (status = 'waiting' OR agent_id IS NULL)`,
      )
      .run({ ...input, now });
    if (assigned.changes === 0) {
      sqliteOf(db)
        .prepare(
          `UPDATE conversations SET first_response_at = @now
           WHERE id = @conversationId AND account_id = @accountId AND first_response_at IS NULL`,
        )
        .run({ ...input, now });
    }
    return { changed: assigned.changes === 1 };
  })();
}

/** Ends a conversation (by the agent or the visitor). Returns false if it was not open or is not the account's. */
export async function closeConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; now?: number },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        `UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ? AND account_id = ? AND status != 'closed'`,
      )
      .run(input.now ?? Date.now(), input.conversationId, input.accountId).changes === 1
  );
}

/** The visitor's rating of a closed conversation; a second rating replaces the first. */
export async function rateConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; rating: number; comment?: string | null },
): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    sqliteOf(db)
      .prepare(
        `UPDATE conversations SET rating = ?, rating_comment = ? WHERE id = ? AND account_id = ? AND status = 'closed'`,
      )
      .run(input.rating, input.comment ?? null, input.conversationId, input.accountId).changes === 1
  );
}

/** The id of the visitor's open (waiting or active) conversation, if any. */
export async function findOpenConversationId(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<string | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = openConversationStatements(db).findOpen.get(accountId, visitorId) as { id: string } | undefined;
  return row?.id ?? null;
}

export interface ConversationTarget {
  id: string;
  status: ConversationStatus;
  /** Who holds (or held) it, for the rights check. */
  agentId: string | null;
  visitorId: string;
  chatIdHash: string | null;
}

/** Just enough of a conversation to route a frame to its visitor and check rights: cheaper than `getConversation`. */
export async function findConversationTarget(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<ConversationTarget | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    (sqliteOf(db)
      .prepare(
        `SELECT c.id, c.status, c.agent_id AS "agentId", c.visitor_id AS "visitorId", ${VISITOR_SOCKET_KEY} AS "chatIdHash"
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id WHERE c.id = ? AND c.account_id = ?`,
      )
      .get(conversationId, accountId) as ConversationTarget | undefined) ?? null
  );
}
