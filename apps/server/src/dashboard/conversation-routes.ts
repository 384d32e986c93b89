import {
  getConversation,
  listConversations,
  listMessages,
  listOfflineMessages,
  markOfflineMessageHandled,
} from '@parley/db/chat';
import { Hono } from 'hono';
import { assertCanSee, guardRoute } from '../auth/access.ts';
import { hasRight } from '../auth/rights.ts';
import { encodeCursor, parseConversationQuery } from '../chat/conversation-query.ts';
import { iso, toChatMessage, toConversationSummary } from '../chat/summaries.ts';
import { AppError } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';

/** History for the dashboard: live conversations arrive over the agent socket, past ones are paged from here. */
export function conversationRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.get('/conversations', guarded, async (c) => {
    const query = parseConversationQuery(c.req.query());
    const { agent, account } = c.get('auth');
    const page = await listConversations(s.db, account.id, {
      ...(hasRight(agent.role, 'allConversations') ? {} : { seenBy: agent.id }),
      limit: query.limit,
      spam: query.spam,
      ...(query.status ? { statuses: query.status } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
    });
    return c.json({
      conversations: page.items.map((conversation) => ({
        ...toConversationSummary(conversation),
        closedAt: conversation.closedAt === null ? null : iso(conversation.closedAt),
        ratingComment: conversation.ratingComment,
        ...(conversation.spamAt === null
          ? {}
          : { spamAt: iso(conversation.spamAt), spamReportedBy: conversation.spamReportedBy }),
      })),
      nextCursor: encodeCursor(page.next),
    });
  });

  routes.get('/conversations/:id', guarded, async (c) => {
    const accountId = c.get('auth').account.id;
    const conversation = await getConversation(s.db, accountId, c.req.param('id'));
    if (!conversation) throw new AppError('not_found', 'There is no such conversation in this account.');
    assertCanSee(c.get('auth'), conversation);
    const messages = await listMessages(s.db, accountId, conversation.id);
    return c.json({
      conversation: {
        ...toConversationSummary(conversation),
        closedAt: conversation.closedAt === null ? null : iso(conversation.closedAt),
        ratingComment: conversation.ratingComment,
      },
      messages: messages.map(toChatMessage),
    });
  });

  /** Messages visitors left while nobody was online; unhandled ones unless `?all=1`. */
  routes.get('/offline-messages', guarded, async (c) => {
    const messages = await listOfflineMessages(s.db, c.get('auth').account.id, {
      includeHandled: c.req.query('all') === '1',
    });
    return c.json({
      offlineMessages: messages.map((m) => ({
        id: m.id,
        name: m.name,
        email: m.email,
        text: m.body,
        at: iso(m.createdAt),
        handledAt: m.handledAt === null ? null : iso(m.handledAt),
        mailHeld: m.mailHeld,
      })),
    });
  });

  routes.post('/offline-messages/:id/handled', guarded, async (c) => {
    const handled = await markOfflineMessageHandled(s.db, {
      accountId: c.get('auth').account.id,
      id: c.req.param('id'),
    });
    if (!handled) throw new AppError('not_found', 'There is no such message in this account.');
    return c.json({ handled: true });
  });

  return routes;
}
