import { sql } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { rows, run } from '../statements.ts';

/** A conversation keeps at most this many pages: enough to follow a visitor, not a record of their whole visit. */
export const PAGE_TRAIL_MAX = 50;

/** A page a visitor opened during a conversation: a masked path and when. */
export interface PageVisitRecord {
  path: string;
  at: number;
}

/**
 * Adds a page to a conversation's trail, unless it is the page the trail ends with or the trail is full. One
 * statement, so that two nodes adding at once cannot pass the limit by much. Returns whether a row was added.
 */
export async function recordPageVisit(
  db: ParleyDb,
  input: { accountId: string; conversationId: string; visitorId: string; path: string; now?: number },
): Promise<boolean> {
  const { accountId, conversationId, visitorId, path } = input;
  const at = input.now ?? Date.now();
  const added = await run(
    db,
    sql`INSERT INTO page_visits (id, conversation_id, account_id, visitor_id, path, at)
      SELECT ${newId('pgv')}, c.id, c.account_id, c.visitor_id, ${path}, ${at} FROM conversations c
      WHERE c.id = ${conversationId} AND c.account_id = ${accountId} AND c.visitor_id = ${visitorId}
        AND (SELECT count(*) FROM page_visits p WHERE p.conversation_id = c.id) < ${PAGE_TRAIL_MAX}
        AND coalesce((SELECT p.path FROM page_visits p WHERE p.conversation_id = c.id
          ORDER BY p.at DESC, p.id DESC LIMIT 1), '') <> ${path}`,
  );
  return added === 1;
}

/** The trails of the account's conversations `conversationIds`, oldest page first; one statement for all of them. */
export async function listPageVisits(
  db: ParleyDb,
  accountId: string,
  conversationIds: readonly string[],
): Promise<Map<string, PageVisitRecord[]>> {
  const trails = new Map<string, PageVisitRecord[]>();
  if (conversationIds.length === 0) return trails;
  const found = await rows<PageVisitRecord & { conversationId: string }>(
    db,
    sql`SELECT conversation_id AS "conversationId", path, at FROM page_visits
      WHERE account_id = ${accountId} AND conversation_id IN (${sql.join(
        conversationIds.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY at, id`,
  );
  for (const { conversationId, path, at } of found) {
    const trail = trails.get(conversationId) ?? [];
    trail.push({ path, at: Number(at) });
    trails.set(conversationId, trail);
  }
  return trails;
}

/** A visitor's conversations before one, newest first: what agents see of their history with the business. */
export interface EarlierConversationRecord {
  id: string;
  startedAt: number;
}

/** How many earlier conversations agents are shown beside a chat. */
export const EARLIER_CONVERSATIONS_SHOWN = 10;

/**
 * The earlier conversations of the visitors of `conversations` (each the conversation's id, visitor and start),
 * newest first, at most `EARLIER_CONVERSATIONS_SHOWN` each; one statement for all of them.
 */
export async function listEarlierConversations(
  db: ParleyDb,
  accountId: string,
  conversations: ReadonlyArray<{ id: string; visitorId: string; startedAt: number }>,
): Promise<Map<string, EarlierConversationRecord[]>> {
  const earlier = new Map<string, EarlierConversationRecord[]>();
  if (conversations.length === 0) return earlier;
  const visitorIds = [...new Set(conversations.map((conversation) => conversation.visitorId))];
  const found = await rows<EarlierConversationRecord & { visitorId: string }>(
    db,
    sql`SELECT id, visitor_id AS "visitorId", started_at AS "startedAt" FROM conversations
      WHERE account_id = ${accountId} AND visitor_id IN (${sql.join(
        visitorIds.map((id) => sql`${id}`),
        sql`, `,
      )}) ORDER BY started_at DESC, id DESC`,
  );
  for (const conversation of conversations) {
    const before = found
      .filter(
        (other) =>
          other.visitorId === conversation.visitorId &&
          other.id !== conversation.id &&
          Number(other.startedAt) <= conversation.startedAt,
      )
      .slice(0, EARLIER_CONVERSATIONS_SHOWN)
      .map(({ id, startedAt }) => ({ id, startedAt: Number(startedAt) }));
    earlier.set(conversation.id, before);
  }
  return earlier;
}
