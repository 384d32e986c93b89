import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { readOne, row, type Tables, write } from '../statements.ts';

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
  timeZone: string | null;
  browser: string | null;
  system: string | null;
}

const columns = ({ visitors }: Tables) => ({
  id: visitors.id,
  accountId: visitors.accountId,
  persistent: visitors.persistent,
  name: visitors.name,
  email: visitors.email,
  country: visitors.country,
  locale: visitors.locale,
  currentPage: visitors.currentPage,
  lastSeenAt: visitors.lastSeenAt,
  timeZone: visitors.timeZone,
  browser: visitors.browser,
  system: visitors.system,
});

type VisitorChanges = Partial<Tables['visitors']['$inferInsert']>;

/**
 * What a website lets its agents see of a visitor, as of their latest visit: null for an item it does not show
 * (or for a visitor under a privacy signal), undefined to leave an item as it is.
 */
export interface VisitorContextValues {
  country?: string | null;
  currentPage?: string | null;
  timeZone?: string | null;
  browser?: string | null;
  system?: string | null;
}

const CONTEXT_FIELDS = ['country', 'currentPage', 'timeZone', 'browser', 'system'] as const;

/** What the widget tells about a visitor when they first do something worth keeping. */
export interface VisitorDetails extends VisitorContextValues {
  persistent: boolean;
  locale?: string | null;
}

/** The account's visitor behind a chat-id hash (CK-3: the chat id itself is never stored). */
export async function findVisitorByChatIdHash(
  db: ParleyDb,
  accountId: string,
  chatIdHash: string,
): Promise<Visitor | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.visitors)
      .where(and(eq(t.visitors.accountId, accountId), eq(t.visitors.chatIdHash, chatIdHash))),
  );
}

export async function getVisitor(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<Visitor | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.visitors)
      .where(and(eq(t.visitors.accountId, accountId), eq(t.visitors.id, visitorId))),
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

/** The row a key names, among the rows of one account. */
const keyMatches = (visitors: Tables['visitors'], key: VisitorKey): SQL =>
  'chatIdHash' in key ? eq(visitors.chatIdHash, key.chatIdHash) : eq(visitors.id, key.visitorId);

/**
 * What a visit changes on a known visitor: when they were last seen, the context items given (an item the website
 * no longer shows is cleared), and a privacy signal (SIG-1).
 */
function visitChanges(input: VisitorContextValues & { persistent: boolean; now: number }): VisitorChanges {
  const set: VisitorChanges = { lastSeenAt: input.now };
  for (const field of CONTEXT_FIELDS) if (input[field] !== undefined) set[field] = input[field];
  // A privacy signal on any visit wins: the visitor is then never recognised again. Its absence restores nothing.
  if (!input.persistent) set.persistent = false;
  return set;
}

/**
 * The visitor row for a chat id, created on the visitor's first message, profile or offline message: nothing is
 * stored for a visitor who only opens the widget. Two tabs acting at once end up with the same row. A visitor found
 * by their id (under a privacy signal) is stored with no chat-id hash.
 */
export async function ensureVisitor(
  db: ParleyDb,
  input: { accountId: string; key: VisitorKey; details: VisitorDetails; now?: number },
): Promise<Visitor> {
  const now = input.now ?? Date.now();
  const { accountId, key, details } = input;
  const seen = () =>
    readOne(db, (o, t) =>
      o
        .update(t.visitors)
        .set(visitChanges({ ...details, now }))
        .where(and(eq(t.visitors.accountId, accountId), keyMatches(t.visitors, key)))
        .returning(columns(t)),
    );
  // The unique key decides between two first visits at once (two tabs, or two nodes): one inserts, the other's
  // insert does nothing and it finds the row the first one stored.
  const created = () =>
    readOne(db, (o, t) =>
      o
        .insert(t.visitors)
        .values({
          id: 'visitorId' in key ? key.visitorId : newId('vis'),
          accountId,
          chatIdHash: 'chatIdHash' in key ? key.chatIdHash : null,
          persistent: details.persistent,
          country: details.country ?? null,
          locale: details.locale ?? null,
          currentPage: details.currentPage ?? null,
          timeZone: details.timeZone ?? null,
          browser: details.browser ?? null,
          system: details.system ?? null,
          createdAt: now,
          lastSeenAt: now,
        })
        .onConflictDoNothing({
          target: 'chatIdHash' in key ? [t.visitors.accountId, t.visitors.chatIdHash] : t.visitors.id,
        })
        .returning(columns(t)),
    );
  // A known visitor is touched; a new one is stored; one that another tab or node stored meanwhile is touched.
  const visitor = (await seen()) ?? (await created()) ?? (await seen());
  // Only a visitor id that another account's visitor holds, or a row erased in between, gets here.
  if (!visitor) throw new Error(`the visitor could not be stored for account ${accountId}`);
  return visitor;
}

/** Notes that a known visitor is back, what their website shows of them now, and whether they send a privacy signal. */
export async function touchVisitor(
  db: ParleyDb,
  input: VisitorContextValues & {
    accountId: string;
    visitorId: string;
    persistent: boolean;
    now?: number;
  },
): Promise<void> {
  const set = visitChanges({ ...input, now: input.now ?? Date.now() });
  await write(db, (o, { visitors }) =>
    o
      .update(visitors)
      .set(set)
      .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId))),
  );
}

/** The name and email a visitor gives in the pre-chat form; `undefined` leaves a field as it is. */
export async function updateVisitorProfile(
  db: ParleyDb,
  input: { accountId: string; visitorId: string; name?: string; email?: string },
): Promise<Visitor | null> {
  const set: VisitorChanges = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.email !== undefined) set.email = input.email;
  if (Object.keys(set).length > 0)
    await write(db, (o, { visitors }) =>
      o
        .update(visitors)
        .set(set)
        .where(and(eq(visitors.id, input.visitorId), eq(visitors.accountId, input.accountId))),
    );
  return getVisitor(db, input.accountId, input.visitorId);
}

/**
 * CK-4: after an opt-out the server forgets the chat id, so the visitor can no longer be recognised by it. Their
 * conversations stay with the account, which answers for them (RET-4).
 */
export async function forgetChatId(db: ParleyDb, accountId: string, visitorId: string): Promise<void> {
  await write(db, (o, { visitors }) =>
    o
      .update(visitors)
      .set({ chatIdHash: null })
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId))),
  );
}

/** The key of the topic that reaches a visitor's open sockets (`VISITOR_SOCKET_KEY`); null when none can. */
export async function visitorChatIdHash(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<string | null> {
  const found = await row<{ socketKey: string | null }>(
    db,
    sql`SELECT ${sql.raw(VISITOR_SOCKET_KEY)} AS "socketKey" FROM visitors v
        WHERE v.account_id = ${accountId} AND v.id = ${visitorId}`,
  );
  return found?.socketKey ?? null;
}
