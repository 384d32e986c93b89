import { and, desc, eq, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockAll, read, readOne, row, rows, type Tables, write } from '../statements.ts';
import { tagNamesOf } from '../tags/tags.ts';
import { transaction } from '../transaction.ts';
import {
  AGENT_PUBLIC_NAME,
  MESSAGE_SELECT,
  type MessageRecord,
  messageRows,
  messageWriteOrder,
} from './messages.ts';
import {
  type EarlierConversationRecord,
  listEarlierConversations,
  listPageVisits,
  type PageVisitRecord,
} from './page-visits.ts';
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
  /** Read receipts: the last message the visitor has seen and when, then the same for the account's agents. */
  visitorSeenId: string | null;
  visitorSeenAt: number | null;
  agentSeenId: string | null;
  agentSeenAt: number | null;
  /** When an agent reported it as spam; null unless reported. */
  spamAt: number | null;
  /** The agent who reported it as spam, while their account exists. */
  spamReportedBy: string | null;
  /** The website the chat came from, while it exists; null for chats older than websites. */
  website: { id: string; name: string } | null;
  /** The department the chat is routed to, while it exists; null: any agent of the account. */
  department: { id: string; name: string } | null;
  visitor: {
    name: string | null;
    email: string | null;
    country: string | null;
    locale: string | null;
    currentPage: string | null;
    timeZone: string | null;
    browser: string | null;
    system: string | null;
    /** The pages opened during the conversation, oldest first; empty where the website does not show pages. */
    pages: PageVisitRecord[];
    /**
     * The visitor's earlier conversations, newest first; empty where the website does not show them, and for a
     * visitor under a privacy signal, who is never recognised.
     */
    earlier: EarlierConversationRecord[];
    /**
     * For routing frames to the visitor's open sockets: the chat-id hash, or under a privacy signal (where none is
     * kept) the visitor id (`VISITOR_SOCKET_KEY`); null once the visitor opted out.
     */
    chatIdHash: string | null;
  };
  lastMessage: MessageRecord | null;
  /**
   * The names of its tags, where the reader asked for them (lists and the dashboard's snapshot); left out where
   * they are not read, such as on each chat message, which must not pay for them.
   */
  tags?: string[];
}

type VisitorFields = ConversationRecord['visitor'];

/**
 * A joined row: the conversation's own columns, then the visitor's, with name and email prefixed, and the id of the
 * conversation's last message.
 */
type Row = Omit<ConversationRecord, 'visitor' | 'lastMessage' | 'website' | 'department'> &
  Omit<VisitorFields, 'name' | 'email' | 'pages' | 'earlier'> & {
    visitorName: VisitorFields['name'];
    visitorEmail: VisitorFields['email'];
    lastMessageId: string | null;
    websiteId: string | null;
    websiteName: string | null;
    /** Flags: 0/1 on SQLite, booleans on PostgreSQL. */
    showsPages: boolean | number | null;
    showsHistory: boolean | number | null;
    departmentId: string | null;
    departmentName: string | null;
  };

/** Selects conversations (`c`) with their visitor (`v`), agent (`g`) and the id of their last message. */
const selectConversations = (db: ParleyDb): SQL => sql`SELECT c.id, c.account_id AS "accountId",
  c.visitor_id AS "visitorId", c.status, c.agent_id AS "agentId", ${sql.raw(AGENT_PUBLIC_NAME)} AS "agentName", c.started_at AS "startedAt",
  c.first_response_at AS "firstResponseAt", c.closed_at AS "closedAt", c.rating, c.rating_comment AS "ratingComment",
  c.visitor_seen_id AS "visitorSeenId", c.visitor_seen_at AS "visitorSeenAt", c.agent_seen_id AS "agentSeenId",
  c.agent_seen_at AS "agentSeenAt",
  v.name AS "visitorName", v.email AS "visitorEmail", v.country, v.locale, v.current_page AS "currentPage",
  v.time_zone AS "timeZone", v.browser, v.system,
  c.spam_at AS "spamAt", c.spam_reported_by AS "spamReportedBy",
  ${sql.raw(VISITOR_SOCKET_KEY)} AS "chatIdHash", w.id AS "websiteId", w.name AS "websiteName",
  w.context_pages AS "showsPages", CASE WHEN v.persistent THEN w.context_history END AS "showsHistory",
  d.id AS "departmentId", d.name AS "departmentName",
  (SELECT m.id FROM messages m WHERE m.conversation_id = c.id
    ORDER BY m.created_at DESC, ${messageWriteOrder(db)} DESC LIMIT 1) AS "lastMessageId"
  FROM conversations c JOIN visitors v ON v.id = c.visitor_id LEFT JOIN agents g ON g.id = c.agent_id
  LEFT JOIN websites w ON w.id = c.website_id AND w.account_id = c.account_id
  LEFT JOIN departments d ON d.id = c.department_id AND d.account_id = c.account_id`;

/** The messages `ids` name, by id: one statement for a whole page of conversations. */
async function messagesById(db: ParleyDb, ids: string[]): Promise<Map<string, MessageRecord>> {
  if (ids.length === 0) return new Map();
  const found = await messageRows(
    db,
    sql`${sql.raw(MESSAGE_SELECT)} WHERE m.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  return new Map(found.map((message) => [message.id, message]));
}

/** The trails and earlier conversations of the rows whose website shows them. */
async function contextOf(db: ParleyDb, found: Row[]) {
  const accountId = found[0]?.accountId;
  if (accountId === undefined) return { pages: new Map(), earlier: new Map() };
  const withPages = found.filter((row) => Boolean(row.showsPages)).map((row) => row.id);
  const withHistory = found.filter((row) => Boolean(row.showsHistory));
  return {
    pages: await listPageVisits(db, accountId, withPages),
    earlier: await listEarlierConversations(db, accountId, withHistory),
  };
}

/** The rows as records, with their last messages and what their websites show of the visitor. */
async function withLastMessages(db: ParleyDb, found: Row[]): Promise<ConversationRecord[]> {
  const last = await messagesById(
    db,
    found.flatMap((row) => (row.lastMessageId === null ? [] : [row.lastMessageId])),
  );
  const context = await contextOf(db, found);
  return found.map(
    ({
      visitorName,
      visitorEmail,
      country,
      locale,
      currentPage,
      timeZone,
      browser,
      system,
      chatIdHash,
      lastMessageId,
      websiteId,
      websiteName,
      showsPages: _showsPages,
      showsHistory: _showsHistory,
      departmentId,
      departmentName,
      ...conversation
    }) => ({
      ...conversation,
      website: websiteId === null || websiteName === null ? null : { id: websiteId, name: websiteName },
      department:
        departmentId === null || departmentName === null ? null : { id: departmentId, name: departmentName },
      visitor: {
        name: visitorName,
        email: visitorEmail,
        country,
        locale,
        currentPage,
        timeZone,
        browser,
        system,
        pages: context.pages.get(conversation.id) ?? [],
        earlier: context.earlier.get(conversation.id) ?? [],
        chatIdHash,
      },
      lastMessage: (lastMessageId === null ? undefined : last.get(lastMessageId)) ?? null,
    }),
  );
}

/** One of the account's conversations; another account's id is simply not found. */
export async function getConversation(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<ConversationRecord | null> {
  const found = await rows<Row>(
    db,
    sql`${selectConversations(db)} WHERE c.id = ${conversationId} AND c.account_id = ${accountId}`,
  );
  return (await withLastMessages(db, found))[0] ?? null;
}

/** What an agent's dashboard opens with: every conversation of the account that is waiting or active. */
export async function listOpenConversations(db: ParleyDb, accountId: string): Promise<ConversationRecord[]> {
  const found = await rows<Row>(
    db,
    sql`${selectConversations(db)} WHERE c.account_id = ${accountId} AND c.status IN ('waiting', 'active')
      AND c.spam_at IS NULL ORDER BY c.started_at, c.id`,
  );
  return withTags(db, accountId, await withLastMessages(db, found));
}

/** The conversations with the names of their tags. */
export async function withTags(
  db: ParleyDb,
  accountId: string,
  conversations: ConversationRecord[],
): Promise<ConversationRecord[]> {
  const names = await tagNamesOf(
    db,
    accountId,
    conversations.map((conversation) => conversation.id),
  );
  return conversations.map((conversation) => ({ ...conversation, tags: names.get(conversation.id) ?? [] }));
}

/**
 * SQL over conversations aliased `c`: the agent may see it without the allConversations right: it is waiting, they
 * hold or held it, or they reported it as spam (the server's `canSeeConversation`, for lists and searches).
 */
export const seenBy = (agentId: string): SQL =>
  sql`(c.status = 'waiting' OR c.agent_id = ${agentId} OR c.spam_reported_by = ${agentId})`;

/** The account's conversations `ids`, in that order, with their tags; ids not found are left out. */
export async function listConversationsByIds(
  db: ParleyDb,
  accountId: string,
  ids: readonly string[],
): Promise<ConversationRecord[]> {
  if (ids.length === 0) return [];
  const found = await rows<Row>(
    db,
    sql`${selectConversations(db)} WHERE c.account_id = ${accountId} AND c.id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  const byId = new Map(found.map((row) => [row.id, row]));
  const ordered = ids.flatMap((id) => byId.get(id) ?? []);
  return withTags(db, accountId, await withLastMessages(db, ordered));
}

/** Where a page of conversations ends; the next page starts after it. */
export interface ConversationCursor {
  startedAt: number;
  id: string;
}

/**
 * The account's conversations, newest first, a page at a time, with their tags. With `seenBy`, only those that agent
 * may see: waiting ones, the ones they hold or held, and the ones they reported as spam; with `tagId`, only those
 * carrying that tag. Conversations reported as spam are left out, or with `spam`, listed alone.
 */
export async function listConversations(
  db: ParleyDb,
  accountId: string,
  options: {
    statuses?: ConversationStatus[];
    limit: number;
    after?: ConversationCursor;
    seenBy?: string;
    tagId?: string;
    spam?: boolean;
  },
): Promise<{ items: ConversationRecord[]; next: ConversationCursor | null }> {
  const where: SQL[] = [sql`c.account_id = ${accountId}`];
  where.push(options.spam ? sql`c.spam_at IS NOT NULL` : sql`c.spam_at IS NULL`);
  if (options.tagId !== undefined)
    where.push(
      sql`EXISTS (SELECT 1 FROM conversation_tags ct WHERE ct.conversation_id = c.id AND ct.tag_id = ${options.tagId})`,
    );
  if (options.seenBy !== undefined) where.push(seenBy(options.seenBy));
  if (options.statuses && options.statuses.length > 0)
    where.push(
      sql`c.status IN (${sql.join(
        options.statuses.map((status) => sql`${status}`),
        sql`, `,
      )})`,
    );
  if (options.after) {
    const { startedAt, id } = options.after;
    where.push(sql`(c.started_at < ${startedAt} OR (c.started_at = ${startedAt} AND c.id < ${id}))`);
  }
  const found = await rows<Row>(
    db,
    sql`${selectConversations(db)} WHERE ${sql.join(where, sql` AND `)}
      ORDER BY c.started_at DESC, c.id DESC LIMIT ${options.limit + 1}`,
  );
  const page = found.slice(0, options.limit);
  const lastRow = page[page.length - 1];
  return {
    items: await withTags(db, accountId, await withLastMessages(db, page)),
    next: found.length > options.limit && lastRow ? { startedAt: lastRow.startedAt, id: lastRow.id } : null,
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
  const found = await rows<Row>(
    db,
    sql`${selectConversations(db)} WHERE c.account_id = ${input.accountId} AND c.visitor_id = ${input.visitorId}
      AND (c.status IN ('waiting', 'active') OR c.closed_at >= ${input.closedSince})
      ORDER BY CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END, c.started_at DESC LIMIT 1`,
  );
  return (await withLastMessages(db, found))[0] ?? null;
}

/**
 * The visitor's open conversation, started (as `waiting`) if there is none. It runs inside the caller's transaction,
 * or in one of its own. Two tabs sending their first message at once, or two server nodes storing them, share one
 * conversation: on PostgreSQL, where transactions run side by side, the visitor is locked for the rest of the
 * transaction before looking.
 */
export async function openConversationInTransaction(
  db: ParleyDb,
  input: OpenConversationInput,
): Promise<{ conversationId: string; created: boolean }> {
  const [open] = await openConversationsInTransaction(db, [input]);
  return open!;
}

export interface OpenConversationInput {
  accountId: string;
  visitorId: string;
  /** When a conversation started now starts. */
  now?: number;
  /** The website the visitor is on, remembered by a conversation started now. */
  websiteId?: string | null;
  /** The department the visitor chose, whose agents a conversation started now is routed to. */
  departmentId?: string | null;
}

/**
 * `openConversationInTransaction` for many visitors at once, in a number of statements that does not grow with
 * them: the message writer calls it in the transaction that stores a batch's messages, for every visitor of the
 * batch. Every visitor is locked (one statement), then their open conversations are read (one), then the missing
 * ones are started (one insert). The read is a statement of its own after the locks, never folded into theirs: on
 * PostgreSQL a statement sees what was committed when it began, and a conversation another node started while this
 * one waited for the lock is committed only after that. Results are in the order of `inputs`; a visitor given twice
 * gets the same conversation, started (if it is) by the first.
 */
export async function openConversationsInTransaction(
  db: ParleyDb,
  inputs: readonly OpenConversationInput[],
): Promise<Array<{ conversationId: string; created: boolean }>> {
  if (inputs.length === 0) return [];
  const key = (input: OpenConversationInput) => `${input.accountId}\n${input.visitorId}`;
  return transaction(db, async () => {
    await lockAll(
      db,
      inputs.map((input) => `visitor:${input.visitorId}`),
    );
    const found = await read(db, (o, { conversations: c }) =>
      o
        .select({ id: c.id, accountId: c.accountId, visitorId: c.visitorId })
        .from(c)
        .where(
          and(
            inArray(c.visitorId, [...new Set(inputs.map((input) => input.visitorId))]),
            inArray(c.status, ['waiting', 'active']),
          ),
        )
        .orderBy(desc(c.startedAt)),
    );
    const open = new Map<string, { conversationId: string; created: boolean }>();
    // Newest first: the first row of a visitor is their latest open conversation, as `findOpenConversationId` says.
    for (const conversation of found)
      if (!open.has(key(conversation)))
        open.set(key(conversation), { conversationId: conversation.id, created: false });
    const started: Array<Tables['conversations']['$inferInsert']> = [];
    for (const input of inputs) {
      if (open.has(key(input))) continue;
      const conversationId = newId('cnv');
      open.set(key(input), { conversationId, created: true });
      started.push({
        id: conversationId,
        accountId: input.accountId,
        visitorId: input.visitorId,
        status: 'waiting',
        startedAt: input.now ?? Date.now(),
        websiteId: input.websiteId ?? null,
        departmentId: input.departmentId ?? null,
      });
    }
    if (started.length > 0) await write(db, (o, { conversations: c }) => o.insert(c).values(started));
    const seen = new Set<string>();
    return inputs.map((input) => {
      const { conversationId, created } = open.get(key(input))!;
      const first = !seen.has(key(input));
      seen.add(key(input));
      return { conversationId, created: created && first };
    });
  });
}

/**
 * An agent answers: a waiting (or unassigned) conversation becomes active and theirs, and the first response time is
 * recorded once. Returns whether the assignment changed; closed conversations are left alone. The assignment is one
 * conditional update, so of two agents answering at once exactly one takes the conversation, on either engine.
 */
export async function assignAgent(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; agentId: string; now?: number },
): Promise<{ changed: boolean }> {
  const now = input.now ?? Date.now();
  return transaction(db, async () => {
    const assigned = await write(db, (o, { conversations: c }) =>
      o
        .update(c)
        .set({
          status: 'active',
          agentId: input.agentId,
          firstResponseAt: sql`coalesce(${c.firstResponseAt}, ${now})`,
        })
        .where(
          and(
            eq(c.id, input.conversationId),
            eq(c.accountId, input.accountId),
            ne(c.status, 'closed'),
            or(eq(c.status, 'waiting'), isNull(c.agentId)),
          ),
        ),
    );
    if (assigned === 0)
      await write(db, (o, { conversations: c }) =>
        o
          .update(c)
          .set({ firstResponseAt: now })
          .where(
            and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId), isNull(c.firstResponseAt)),
          ),
      );
    return { changed: assigned === 1 };
  });
}

/** Ends a conversation (by the agent or the visitor). Returns false if it was not open or is not the account's. */
export async function closeConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; now?: number },
): Promise<boolean> {
  const closed = await write(db, (o, { conversations: c }) =>
    o
      .update(c)
      .set({ status: 'closed', closedAt: input.now ?? Date.now() })
      .where(and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId), ne(c.status, 'closed'))),
  );
  return closed === 1;
}

/** The visitor's rating of a closed conversation; a second rating replaces the first. */
export async function rateConversation(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; rating: number; comment?: string | null },
): Promise<boolean> {
  const rated = await write(db, (o, { conversations: c }) =>
    o
      .update(c)
      .set({ rating: input.rating, ratingComment: input.comment ?? null })
      .where(and(eq(c.id, input.conversationId), eq(c.accountId, input.accountId), eq(c.status, 'closed'))),
  );
  return rated === 1;
}

/** The id of the visitor's open (waiting or active) conversation, if any. */
export async function findOpenConversationId(
  db: ParleyDb,
  accountId: string,
  visitorId: string,
): Promise<string | null> {
  const open = await readOne(db, (o, { conversations: c }) =>
    o
      .select({ id: c.id })
      .from(c)
      .where(
        and(eq(c.accountId, accountId), eq(c.visitorId, visitorId), inArray(c.status, ['waiting', 'active'])),
      )
      .orderBy(desc(c.startedAt))
      .limit(1),
  );
  return open?.id ?? null;
}

export interface ConversationTarget {
  id: string;
  status: ConversationStatus;
  /** Who holds (or held) it, for the rights check. */
  agentId: string | null;
  visitorId: string;
  chatIdHash: string | null;
  /** When it was reported as spam, and by whom (while that agent exists), for the rights to clear the flag. */
  spamAt: number | null;
  spamReportedBy: string | null;
}

/** Just enough of a conversation to route a frame to its visitor and check rights: cheaper than `getConversation`. */
export async function findConversationTarget(
  db: ParleyDb,
  accountId: string,
  conversationId: string,
): Promise<ConversationTarget | null> {
  return row<ConversationTarget>(
    db,
    sql`SELECT c.id, c.status, c.agent_id AS "agentId", c.visitor_id AS "visitorId",
      ${sql.raw(VISITOR_SOCKET_KEY)} AS "chatIdHash", c.spam_at AS "spamAt", c.spam_reported_by AS "spamReportedBy"
      FROM conversations c JOIN visitors v ON v.id = c.visitor_id
      WHERE c.id = ${conversationId} AND c.account_id = ${accountId}`,
  );
}

/** Which side of a conversation saw a message. */
export type SeenBy = 'visitor' | 'agent';

/** What `recordSeen` did: kept the new receipt, left a newer one in place, or found no such message. */
export type SeenOutcome = 'recorded' | 'older' | 'unknown';

/**
 * One side has seen a conversation up to `messageId`. The message must be one of that conversation's, in the
 * account: another conversation's or tenant's id is `unknown`. A receipt only moves forward, so a late frame from a
 * second tab never takes it back to an older message (`older`, which is also the answer for the same message again).
 */
export async function recordSeen(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; by: SeenBy; messageId: string; now?: number },
): Promise<SeenOutcome> {
  const seen = await row<{ createdAt: number }>(
    db,
    sql`SELECT m.created_at AS "createdAt" FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id = ${input.messageId} AND m.conversation_id = ${input.conversationId}
      AND c.account_id = ${input.accountId}`,
  );
  if (!seen) return 'unknown';
  const now = input.now ?? Date.now();
  const recorded = await write(db, (o, { conversations: c }) => {
    const seenId = input.by === 'visitor' ? c.visitorSeenId : c.agentSeenId;
    return o
      .update(c)
      .set(
        input.by === 'visitor'
          ? { visitorSeenId: input.messageId, visitorSeenAt: now }
          : { agentSeenId: input.messageId, agentSeenAt: now },
      )
      .where(
        and(
          eq(c.id, input.conversationId),
          eq(c.accountId, input.accountId),
          or(
            isNull(seenId),
            and(
              ne(seenId, input.messageId),
              sql`NOT EXISTS (SELECT 1 FROM messages p
                WHERE p.id = ${seenId} AND p.created_at > ${Number(seen.createdAt)})`,
            ),
          ),
        ),
      );
  });
  return recorded === 1 ? 'recorded' : 'older';
}
