import {
  type Account,
  findApiKeyAccount,
  getConversation,
  getVisitor,
  listConversations,
  listMessages,
} from '@parley/db/chat';
import { Hono, type MiddlewareHandler } from 'hono';
import { encodeCursor, parseConversationQuery } from '../chat/conversation-query.ts';
import { toApiConversation, toChatMessage } from '../chat/summaries.ts';
import { transcriptText } from '../chat/transcript.ts';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';

type ApiEnv = { Variables: { account: Account } };

const BEARER = /^Bearer ([A-Za-z0-9_-]{10,200})$/;

/** The account behind `Authorization: Bearer <API key>`; only the key's hash is ever compared. */
const apiKeyAuth =
  (s: Services): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const header = c.req.header('authorization');
    const challenge = { headers: { 'WWW-Authenticate': 'Bearer realm="parley"' } };
    if (!header)
      throw new AppError('unauthorized', 'Send your API key as "Authorization: Bearer <key>".', challenge);
    const key = BEARER.exec(header)?.[1];
    const found = key ? await findApiKeyAccount(s.db, key) : null;
    if (!found) throw new AppError('unauthorized', 'This API key is not valid.', challenge);
    if (found.closed)
      throw new AppError('account_closed', 'This account is closed; its data is no longer served.');
    c.set('account', found.account);
    await next();
  };

/** The customer REST API, under /api/v1: an account's own conversations, read with its API key. */
export function customerApi(s: Services) {
  const api = new Hono<ApiEnv>();
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.use('/v1/*', apiKeyAuth(s));

  api.get('/v1/conversations', async (c) => {
    const query = parseConversationQuery(c.req.query());
    const page = await listConversations(s.db, c.get('account').id, {
      limit: query.limit,
      // As in the dashboard's history: spam is left out, or with `?spam=1` listed alone.
      spam: query.spam,
      ...(query.status ? { statuses: query.status } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
    });
    return c.json({
      data: page.items.map((item) => toApiConversation(item, s.fileLinks)),
      nextCursor: encodeCursor(page.next),
    });
  });

  /** JSON by default; `?format=text` gives the plain-text transcript a visitor would be mailed. */
  api.get('/v1/conversations/:id/transcript', async (c) => {
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'text')
      throw new AppError('invalid_input', 'format must be json or text');
    const account = c.get('account');
    // Another account's conversation is "not found", exactly like one that does not exist.
    const conversation = await getConversation(s.db, account.id, c.req.param('id'));
    if (!conversation) throw new AppError('not_found', 'There is no such conversation in this account.');
    const messages = await listMessages(s.db, account.id, conversation.id);
    if (format === 'text') {
      const visitor = await getVisitor(s.db, account.id, conversation.visitorId);
      return c.text(
        transcriptText(conversation, messages, {
          organization: account.organization,
          visitor: visitor?.name ?? 'Visitor',
        }),
      );
    }
    return c.json({
      conversation: toApiConversation(conversation, s.fileLinks),
      messages: messages.map((m) => toChatMessage(m, s.fileLinks)),
    });
  });

  api.all('*', () => {
    throw new AppError('not_found', 'There is no such API route.');
  });
  return api;
}
