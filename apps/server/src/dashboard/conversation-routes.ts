import { countsMailPerRecipient, MailLimitError } from '@parley/db';
import {
  type ConversationRecord,
  getConversation,
  listConversations,
  listMessages,
  listOfflineMessages,
  listOfflineReplies,
  markOfflineMessageHandled,
  type OfflineMessage,
  type OfflineReply,
  replyToOfflineMessage,
  withTags,
} from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { assertCanSee, guardRoute } from '../auth/access.ts';
import { hasRight } from '../auth/rights.ts';
import { encodeCursor, parseConversationQuery } from '../chat/conversation-query.ts';
import { iso, toChatMessage, toConversationSummary } from '../chat/summaries.ts';
import { AppError, readJson } from '../errors.ts';
import type { FileLinks } from '../files/file-links.ts';
import { mailMessageId } from '../mail/mailer.ts';
import { fillIn, VISITOR_MAIL_STRINGS, visitorMailLanguage } from '../mail/visitor-mail-strings.ts';
import type { AppEnv, Services } from '../services.ts';

export const OfflineReplyBody = z.object({
  text: z.string().trim().min(1, { message: 'write a reply' }).max(10_000),
});

const replyJson = (reply: OfflineReply) => ({
  id: reply.id,
  agentId: reply.agentId,
  text: reply.body,
  at: iso(reply.createdAt),
});

/**
 * The mail an answer to an offline message goes out as: a reply to the visitor's message, so that mail clients
 * thread it (`Re:`, `In-Reply-To` the latest mail of the thread, `References` all of them), with the visitor's
 * message quoted under it, in the visitor's language.
 */
function offlineReplyMail(
  input: { organization: string; text: string; locale: string | null | undefined },
  message: OfflineMessage,
  earlier: readonly OfflineReply[],
) {
  const words = VISITOR_MAIL_STRINGS[visitorMailLanguage(input.locale)];
  const thread = [message.id, ...earlier.map((reply) => reply.id)].map(mailMessageId);
  const quoted = message.body.split('\n').map((line) => `> ${line}`);
  return {
    subject: `Re: ${fillIn(words.offlineReplySubject, { organization: input.organization })}`,
    body: [input.text, '', `— ${input.organization}`, '', words.offlineReplyQuote, ...quoted].join('\n'),
    headers: { 'In-Reply-To': thread[thread.length - 1] ?? '', References: thread.join(' ') },
  };
}

/** A conversation as the history lists it: its summary, when it closed, the rating's comment and any spam report. */
export const pastConversationJson = (conversation: ConversationRecord, links: FileLinks) => ({
  ...toConversationSummary(conversation, links),
  closedAt: conversation.closedAt === null ? null : iso(conversation.closedAt),
  ratingComment: conversation.ratingComment,
  ...(conversation.spamAt === null
    ? {}
    : { spamAt: iso(conversation.spamAt), spamReportedBy: conversation.spamReportedBy }),
});

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
      ...(query.tag ? { tagId: query.tag } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
    });
    return c.json({
      conversations: page.items.map((conversation) => pastConversationJson(conversation, s.fileLinks)),
      nextCursor: encodeCursor(page.next),
    });
  });

  routes.get('/conversations/:id', guarded, async (c) => {
    const accountId = c.get('auth').account.id;
    const found = await getConversation(s.db, accountId, c.req.param('id'));
    if (!found) throw new AppError('not_found', 'There is no such conversation in this account.');
    assertCanSee(c.get('auth'), found);
    const [conversation = found] = await withTags(s.db, accountId, [found]);
    const messages = await listMessages(s.db, accountId, conversation.id);
    return c.json({
      conversation: {
        ...toConversationSummary(conversation, s.fileLinks),
        closedAt: conversation.closedAt === null ? null : iso(conversation.closedAt),
        ratingComment: conversation.ratingComment,
      },
      messages: messages.map((m) => toChatMessage(m, s.fileLinks)),
    });
  });

  /** Messages visitors left while nobody was online; unhandled ones unless `?all=1`. */
  routes.get('/offline-messages', guarded, async (c) => {
    const accountId = c.get('auth').account.id;
    const messages = await listOfflineMessages(s.db, accountId, {
      includeHandled: c.req.query('all') === '1',
    });
    const replies = await listOfflineReplies(
      s.db,
      accountId,
      messages.map((m) => m.id),
    );
    return c.json({
      offlineMessages: messages.map((m) => ({
        replies: replies.filter((reply) => reply.offlineMessageId === m.id).map(replyJson),
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

  /** Answers an offline message by mail to the address the visitor gave; the message counts as handled. */
  routes.post('/offline-messages/:id/replies', guarded, async (c) => {
    const { account, agent } = c.get('auth');
    const { text } = await readJson(c, OfflineReplyBody);
    const reply = await replyToOfflineMessage(s.db, {
      accountId: account.id,
      offlineMessageId: c.req.param('id'),
      agentId: agent.id,
      body: text,
      recipientSecret: countsMailPerRecipient(s.content) ? s.secrets.mailLimitKey : undefined,
      mail: (found, earlier, locale) =>
        offlineReplyMail({ organization: account.organization, text, locale }, found, earlier),
      now: s.clock.now(),
    }).catch((error: unknown) => {
      if (error instanceof MailLimitError)
        throw new AppError('rate_limited', 'This address has been sent as many emails today as it may be.');
      throw error;
    });
    if (!reply) throw new AppError('not_found', 'There is no such message in this account.');
    return c.json({ reply: replyJson(reply) }, 201);
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
