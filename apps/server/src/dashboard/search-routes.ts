import { type SearchHit, searchConversations } from '@parley/db';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { hasRight } from '../auth/rights.ts';
import { ConversationQuery, encodeCursor } from '../chat/conversation-query.ts';
import { iso } from '../chat/summaries.ts';
import { zodInputError } from '../errors.ts';
import type { FileLinks } from '../files/file-links.ts';
import type { AppEnv, Services } from '../services.ts';
import { pastConversationJson } from './conversation-routes.ts';

/** An id of the account's (a tag, an agent, a department, a website): the search finds nothing for another's. */
const anId = z.string().max(64, { message: 'this is not an id the dashboard was given' }).optional();

/** A moment as the dashboard sends it: an ISO 8601 date and time with its offset, in milliseconds. */
const moment = (message: string) =>
  z.iso
    .datetime({ offset: true, message })
    .transform((text) => Date.parse(text))
    .optional();

/**
 * `GET /app/api/search`: `q` (the words, at most 200 characters; none: the filters alone), `from` and `to` (the
 * conversation started at or after `from`, before `to`), `tag`, `agent`, `department`, `website`, `rating` (1–5),
 * `spam=1` (search the conversations reported as spam alone, as the history's filter does), `limit` and `cursor` (the
 * previous page's `nextCursor`). An empty parameter is no parameter, as a form sends it.
 */
export const SearchQuery = z
  .object({
    q: z.string().max(200, { message: 'the search may have at most 200 characters' }).optional(),
    from: moment('from must be a date and time with its offset, e.g. 2026-12-01T00:00:00+01:00'),
    to: moment('to must be a date and time with its offset, e.g. 2026-12-31T00:00:00+01:00'),
    tag: anId,
    agent: anId,
    department: anId,
    website: anId,
    rating: z
      .enum(['1', '2', '3', '4', '5'], { message: 'rating must be a whole number from 1 to 5' })
      .transform(Number)
      .optional(),
    spam: ConversationQuery.shape.spam,
    limit: z.coerce
      .number({ message: 'limit must be a whole number from 1 to 100' })
      .int({ message: 'limit must be a whole number from 1 to 100' })
      .min(1, { message: 'limit must be a whole number from 1 to 100' })
      .max(100, { message: 'limit must be a whole number from 1 to 100' })
      .default(25),
    cursor: ConversationQuery.shape.cursor,
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from < query.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type SearchQuery = z.infer<typeof SearchQuery>;

/** The query string's parameters; a bad one is a 400 that names it. */
export function parseSearchQuery(query: Record<string, string>): SearchQuery {
  const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
  const parsed = SearchQuery.safeParse(given);
  if (!parsed.success) throw zodInputError(parsed.error, 'invalid_request');
  return parsed.data;
}

/** A hit as the dashboard shows it: the conversation as the history lists it, and its newest match with a snippet. */
const hitJson = ({ conversation, match }: SearchHit, links: FileLinks) => ({
  conversation: pastConversationJson(conversation, links),
  match:
    match === null
      ? null
      : {
          kind: match.kind,
          id: match.id,
          ...(match.author === null ? {} : { author: match.author }),
          at: iso(match.at),
          snippet: match.snippet,
        },
});

/**
 * Search across the conversations an agent may see, from the dashboard's history: the words of their messages and
 * notes, and filters. Only the account's conversations, and without the allConversations right only those the
 * history would list for the agent (`canSeeConversation`).
 */
export function searchRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);

  routes.get('/search', guarded, async (c) => {
    const query = parseSearchQuery(c.req.query());
    const { agent, account } = c.get('auth');
    const page = await searchConversations(s.db, {
      accountId: account.id,
      viewer: { agentId: agent.id, allConversations: hasRight(agent.role, 'allConversations') },
      limit: query.limit,
      spam: query.spam,
      ...(query.q === undefined ? {} : { text: query.q }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(query.tag === undefined ? {} : { tagId: query.tag }),
      ...(query.agent === undefined ? {} : { agentId: query.agent }),
      ...(query.department === undefined ? {} : { departmentId: query.department }),
      ...(query.website === undefined ? {} : { websiteId: query.website }),
      ...(query.rating === undefined ? {} : { rating: query.rating }),
      ...(query.cursor === undefined ? {} : { before: query.cursor }),
    });
    return c.json({
      results: page.items.map((hit) => hitJson(hit, s.fileLinks)),
      nextCursor: encodeCursor(page.next),
    });
  });

  return routes;
}
