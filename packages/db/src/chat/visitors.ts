import { and, eq } from 'drizzle-orm';
import { ormOf, type ParleyDb, sqliteOf } from '../connection.ts';
import { newId } from '../ids.ts';
import { visitors } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

export interface Visitor {
  id: string;
  accountId: string;
  persistent: boolean;
  name: string | null;
  email: string | null;
  country: string | null;
  locale: string | null;
  currentPage: string | null;
  lastSeenAt: number;
}

const columns = {
  id: visitors.id,
  accountId: visitors.accountId,
  persistent: visitors.persistent,
  name: visitors.name,
  email: visitors.email,
  country: visitors.country,
  locale: visitors.locale,
  currentPage: visitors.currentPage,
  lastSeenAt: visitors.lastSeenAt,
};

/** What the widget tells about a visitor when they first do something worth keeping. */
export interface VisitorDetails {
  persistent: boolean;
  country?: string | null;
  locale?: string | null;
  currentPage?: string | null;
}

/** The account's visitor behind a chat-id hash (CK-3: the chat id itself is never stored). */
export async function findVisitorByChatIdHash(
  db: ParleyDb,
  accountId: string,
  chatIdHash: string,
): Promise<Visitor | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    ormOf(db)
      .select(columns)
      .from(visitors)
      .where(and(eq(visitors.accountId, accountId), eq(visitors.chatIdHash, chatIdHash)))
      .get() ?? null
  );
}

export async function getVisitor(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<Visitor | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    ormOf(db)
      .select(columns)
      .from(visitors)
      .where(and(eq(visitors.accountId, accountId), eq(visitors.id, visitorId)))
      .get() ?? null
  );
}

/**
 * How a visitor's row is found: by the hash of their chat id, or, for a visitor under a privacy signal (SIG-1), for
 * whom no chat-id hash is kept, by the visitor id their chat id carries.
 */
export type VisitorKey = { chatIdHash: string } | { visitorId: string };

/** The account's visitor behind a key, if their row exists. */
export function findVisitor(db: ParleyDb, accountId: string, key: VisitorKey): Promise<Visitor | null> {
  return 'chatIdHash' in key
    ? findVisitorByChatIdHash(db, accountId, key.chatIdHash)
    : getVisitor(db, accountId, key.visitorId);
}

/**
 * The key of the topic a visitor's open sockets listen on: the chat-id hash, or for a visitor under a privacy signal
 * the visitor id; null once a visitor without a signal opted out (CK-4) and their chat-id hash was forgotten. A chat-id
 * hash is hex and a visitor id has a prefix, so the two never meet. SQL over the visitor aliased `v`.
 */
export const VISITOR_SOCKET_KEY = 'COALESCE(v.chat_id_hash, CASE WHEN NOT v.persistent THEN v.id END)';

/**
 * The visitor row for a chat id, created on the visitor's first message, profile or offline message: nothing is
 * stored for a visitor who only opens the widget. Two tabs acting at once end up with the same row. A visitor found
 * by their id (under a privacy signal) is stored with no chat-id hash.
 */
export async function ensureVisitor(
  db: ParleyDb,
  input: { accountId: string; key: VisitorKey; details: VisitorDetails; now?: number },
): Promise<Visitor> {
  if (blockedByTransaction(db)) await whenFree(db);
  const now = input.now ?? Date.now();
  const { key } = input;
  const where = and(
    eq(visitors.accountId, input.accountId),
    'chatIdHash' in key ? eq(visitors.chatIdHash, key.chatIdHash) : eq(visitors.id, key.visitorId),
  );
  return sqliteOf(db).transaction((): Visitor => {
    const existing = ormOf(db).select(columns).from(visitors).where(where).get();
    if (existing) {
      // A privacy signal on any visit wins: the visitor is then never recognised again (SIG-1).
      const persistent = existing.persistent && input.details.persistent;
      ormOf(db)
        .update(visitors)
        .set({ lastSeenAt: now, persistent, currentPage: input.details.currentPage ?? existing.currentPage })
        .where(eq(visitors.id, existing.id))
        .run();
      return { ...existing, persistent, lastSeenAt: now };
    }
    const visitor: Visitor = {
      id: 'visitorId' in key ? key.visitorId : newId('vis'),
      accountId: input.accountId,
      persistent: input.details.persistent,
      name: null,
      email: null,
      country: input.details.country ?? null,
      locale: input.details.locale ?? null,
      currentPage: input.details.currentPage ?? null,
      lastSeenAt: now,
    };
    ormOf(db)
      .insert(visitors)
      .values({ ...visitor, chatIdHash: 'chatIdHash' in key ? key.chatIdHash : null, createdAt: now })
      .run();
    return visitor;
  })();
}

/** Notes that a known visitor is back, on which page, and whether they now send a privacy signal. */
export async function touchVisitor(
  db: ParleyDb,
  input: {
    accountId: string;
    visitorId: string;
    currentPage?: string | null;
    persistent: boolean;
    now?: number;
  },
): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  const set: Partial<typeof visitors.$inferInsert> = { lastSeenAt: input.now ?? Date.now() };
  if (input.currentPage !== undefined) set.currentPage = input.currentPage;
  if (!input.persistent) set.persistent = false;
  ormOf(db)
    .update(visitors)
    .set(set)
    .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId)))
    .run();
}

/** The name and email a visitor gives in the pre-chat form; `undefined` leaves a field as it is. */
export async function updateVisitorProfile(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; name?: string; email?: string },
): Promise<Visitor | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const set: Partial<typeof visitors.$inferInsert> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.email !== undefined) set.email = input.email;
  if (Object.keys(set).length > 0)
    ormOf(db)
      .update(visitors)
      .set(set)
      .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId)))
      .run();
  return getVisitor(db, input.accountId, input.visitorId);
}

/**
 * CK-4: after an opt-out the server forgets the chat id, so the visitor can no longer be recognised by it. Their
 * conversations stay with the account, which answers for them (RET-4).
 */
export async function forgetChatId(db: ParleyDb, accountId: string, visitorId: string): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db)
    .update(visitors)
    .set({ chatIdHash: null })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
    .run();
}

/** The key of the topic that reaches a visitor's open sockets (`VISITOR_SOCKET_KEY`); null when none can. */
export async function visitorChatIdHash(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<string | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = sqliteOf(db)
    .prepare(
      `SELECT ${VISITOR_SOCKET_KEY} AS "socketKey" FROM visitors v WHERE v.account_id = ? AND v.id = ?`,
    )
    .get(accountId, visitorId) as { socketKey: string | null } | undefined;
  return row?.socketKey ?? null;
}
