import { type SQL, sql } from 'drizzle-orm';
import {
  type ConversationCursor,
  type ConversationRecord,
  listConversationsByIds,
  seenBy,
} from '../chat/conversations.ts';
import type { MessageAuthor } from '../chat/messages.ts';
import type { ParleyDb } from '../connection.ts';
import { rows } from '../statements.ts';
import { ftsMatch, type SearchTerms, searchTerms, tsQuery } from './search-terms.ts';
import { type Snippet, snippetOf } from './snippet.ts';

/**
 * Search across the conversations an agent may see: full text over their messages and notes, and filters by the
 * conversation's start, tag, agent, department, rating and website. Each engine searches with its own index, which
 * the database keeps itself (`drizzle/0021_search_index.sql`, `drizzle-postgres/0018_search_index.sql`): SQLite an
 * FTS5 table beside the messages and notes, PostgreSQL a GIN index on an expression of their text.
 */
export interface SearchInput {
  accountId: string;
  /**
   * The agent searching. Without the allConversations right they find only what they may see in the history: waiting
   * chats, the ones they hold or held and the ones they reported as spam. Notes are searched too: they are written
   * for the account's agents, and only an agent searches.
   */
  viewer: { agentId: string; allConversations: boolean };
  /** Words to look for; none (or only punctuation): the filters alone. */
  text?: string;
  /** The conversation started at or after this moment (ms). */
  from?: number;
  /** The conversation started before this moment (ms). */
  to?: number;
  tagId?: string;
  /** The agent who holds or held the conversation. */
  agentId?: string;
  departmentId?: string;
  /** The visitor's rating, 1 to 5. */
  rating?: number;
  websiteId?: string;
  /** As in the history: conversations reported as spam are left out, or with `spam`, searched alone. */
  spam?: boolean;
  limit: number;
  /** The `next` of the previous page: the search goes on with older conversations. */
  before?: ConversationCursor;
}

/** The newest message or note of a conversation that matched, and a snippet of it around the match. */
export interface SearchMatch {
  kind: 'message' | 'note';
  id: string;
  /** A message's author; null for a note, which is always an agent's. */
  author: MessageAuthor | null;
  at: number;
  snippet: Snippet;
}

export interface SearchHit {
  conversation: ConversationRecord;
  /** Null when no words were searched for. */
  match: SearchMatch | null;
}

/** A matching message or note, as the engines return them. */
interface MatchRow {
  conversationId: string;
  kind: 'message' | 'note';
  id: string;
  author: MessageAuthor | null;
  at: number;
  body: string;
}

/** The conditions on the conversation (aliased `c`) that every search applies, with or without words. */
function conversationFilters(input: SearchInput): SQL[] {
  const where: SQL[] = [sql`c.account_id = ${input.accountId}`];
  where.push(input.spam ? sql`c.spam_at IS NOT NULL` : sql`c.spam_at IS NULL`);
  if (!input.viewer.allConversations) where.push(seenBy(input.viewer.agentId));
  if (input.from !== undefined) where.push(sql`c.started_at >= ${input.from}`);
  if (input.to !== undefined) where.push(sql`c.started_at < ${input.to}`);
  if (input.tagId !== undefined)
    where.push(
      sql`EXISTS (SELECT 1 FROM conversation_tags ct WHERE ct.conversation_id = c.id AND ct.tag_id = ${input.tagId})`,
    );
  if (input.agentId !== undefined) where.push(sql`c.agent_id = ${input.agentId}`);
  if (input.departmentId !== undefined) where.push(sql`c.department_id = ${input.departmentId}`);
  if (input.websiteId !== undefined) where.push(sql`c.website_id = ${input.websiteId}`);
  if (input.rating !== undefined) where.push(sql`c.rating = ${input.rating}`);
  if (input.before) {
    const { startedAt, id } = input.before;
    where.push(sql`(c.started_at < ${startedAt} OR (c.started_at = ${startedAt} AND c.id < ${id}))`);
  }
  return where;
}

/** PostgreSQL: the search as a tsquery, folded in SQL as the index folds the text. */
const postgresQuery = (terms: SearchTerms): SQL => sql`to_tsquery('simple', search_fold(${tsQuery(terms)}))`;

/**
 * The matching messages and notes as `(conversation_id, rank)`: the higher the rank, the newer the match. SQLite
 * ranks by the index's own row number, which grows as rows are written; PostgreSQL by the time written.
 */
function hits(db: ParleyDb, accountId: string, terms: SearchTerms): SQL {
  if (db.dialect === 'sqlite')
    return sql`SELECT d.conversation_id, d.id AS rank FROM search_index
      JOIN search_documents d ON d.id = search_index.rowid WHERE search_index MATCH ${ftsMatch(terms)}`;
  const query = postgresQuery(terms);
  return sql`SELECT m.conversation_id, m.created_at AS rank FROM messages m
      WHERE m.account_id = ${accountId} AND search_vector(m.body) @@ ${query}
    UNION ALL SELECT n.conversation_id, n.created_at AS rank FROM notes n
      WHERE n.account_id = ${accountId} AND search_vector(n.body) @@ ${query}`;
}

/** For each conversation of `page` (id → rank of its newest match), that match, with its text. */
async function matchesOf(
  db: ParleyDb,
  accountId: string,
  terms: SearchTerms,
  page: Map<string, number>,
): Promise<Map<string, MatchRow>> {
  if (page.size === 0) return new Map();
  const list = (values: Iterable<string | number>) =>
    sql.join(
      [...values].map((value) => sql`${value}`),
      sql`, `,
    );
  const found =
    db.dialect === 'sqlite'
      ? await rows<MatchRow>(
          db,
          sql`SELECT d.conversation_id AS "conversationId", d.kind, d.source_id AS id, m.author, m.created_at AS at,
              m.body FROM search_documents d JOIN messages m ON m.id = d.source_id
            WHERE d.kind = 'message' AND d.id IN (${list(page.values())})
            UNION ALL SELECT d.conversation_id, d.kind, d.source_id, NULL, n.created_at, n.body
              FROM search_documents d JOIN notes n ON n.id = d.source_id
            WHERE d.kind = 'note' AND d.id IN (${list(page.values())})`,
        )
      : // The page's own messages and notes are read first, by conversation, and only they are matched: `OFFSET 0`
        // keeps the planner from going through the search index again, which for a common word means every match.
        await rows<MatchRow>(
          db,
          sql`SELECT * FROM (
              SELECT m.conversation_id AS "conversationId", 'message' AS kind, m.id, m.author, m.created_at AS at,
                m.body FROM messages m WHERE m.account_id = ${accountId} AND m.conversation_id IN (${list(page.keys())})
              UNION ALL SELECT n.conversation_id, 'note', n.id, NULL, n.created_at, n.body FROM notes n
                WHERE n.account_id = ${accountId} AND n.conversation_id IN (${list(page.keys())})
              OFFSET 0) own
            WHERE search_vector(own.body) @@ ${postgresQuery(terms)}`,
        );
  const newest = new Map<string, MatchRow>();
  for (const match of found) {
    const at = Number(match.at);
    const held = newest.get(match.conversationId);
    // PostgreSQL returns every match of the page's conversations; the one written last is shown (ties by id).
    if (!held || at > held.at || (at === held.at && match.id > held.id))
      newest.set(match.conversationId, { ...match, at });
  }
  return newest;
}

/**
 * The conversations that match, newest first (by when they started), a page at a time: with words, those whose
 * messages or notes hold every phrase, each with a snippet of its newest match; without, every conversation the
 * filters let through. Only the account's conversations, and only those the viewer may see. Words a person typed
 * are never query syntax (`search-terms.ts`); text with no word in it finds nothing.
 */
export async function searchConversations(
  db: ParleyDb,
  input: SearchInput,
): Promise<{ items: SearchHit[]; next: ConversationCursor | null }> {
  const text = input.text?.trim() ?? '';
  const terms = text === '' ? null : searchTerms(text);
  if (text !== '' && terms === null) return { items: [], next: null };
  const where = sql.join(conversationFilters(input), sql` AND `);
  const order = sql`ORDER BY c.started_at DESC, c.id DESC LIMIT ${input.limit + 1}`;
  const found = await rows<{ id: string; startedAt: number; rank: number | null }>(
    db,
    terms === null
      ? sql`SELECT c.id, c.started_at AS "startedAt", NULL AS rank FROM conversations c WHERE ${where} ${order}`
      : sql`SELECT c.id, c.started_at AS "startedAt", h.rank FROM
          (SELECT conversation_id, max(rank) AS rank FROM (${hits(db, input.accountId, terms)}) x
            GROUP BY conversation_id) h
          JOIN conversations c ON c.id = h.conversation_id WHERE ${where} ${order}`,
  );
  const page = found.slice(0, input.limit);
  const last = page.at(-1);
  const matches =
    terms === null
      ? new Map<string, MatchRow>()
      : await matchesOf(db, input.accountId, terms, new Map(page.map((r) => [r.id, Number(r.rank)])));
  const conversations = await listConversationsByIds(
    db,
    input.accountId,
    page.map((r) => r.id),
  );
  return {
    items: conversations.map((conversation) => {
      const match = matches.get(conversation.id);
      return {
        conversation,
        match:
          terms === null || !match
            ? null
            : {
                kind: match.kind,
                id: match.id,
                author: match.author,
                at: match.at,
                snippet: snippetOf(match.body, terms),
              },
      };
    }),
    next: found.length > input.limit && last ? { startedAt: Number(last.startedAt), id: last.id } : null,
  };
}
