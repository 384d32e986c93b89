import { findConversationTarget } from '@parley/db/chat';
import { FILE_KINDS } from '@parley/protocol';
import { Hono } from 'hono';
import { guardRoute } from '../auth/access.ts';
import { canSeeConversation } from '../auth/rights.ts';
import { deliverAgentMessage } from '../chat/agent-messages.ts';
import { AppError } from '../errors.ts';
import { countUpload, readUpload, storeUpload, uploadBodyLimit } from '../files/file-uploads.ts';
import type { AppEnv, Services } from '../services.ts';

/** The dashboard's upload of a file into a conversation: the path the 64 KiB limit on its requests leaves out. */
export const isConversationFileUpload = (method: string, path: string): boolean =>
  method === 'POST' && /^\/app\/api\/conversations\/[^/]+\/files$/.test(path);

/**
 * An agent sends a file into a conversation they may see, from the reply box (with the session's cookie and CSRF
 * token, as every dashboard request): any kind Parley takes, within the agent's rate and the account's quota. It
 * goes to the visitor and the account's agents like a message; the first answer takes the chat, as a message does.
 */
export function conversationFileRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  routes.post('/conversations/:id/files', guardRoute(s), uploadBodyLimit(s), async (c) => {
    const { agent, account } = c.get('auth');
    const target = await findConversationTarget(s.db, account.id, c.req.param('id'));
    if (!target) throw new AppError('not_found', 'There is no such conversation in this account.');
    if (!canSeeConversation(agent, target))
      throw new AppError('forbidden', 'This conversation is another agent’s.');
    if (target.status === 'closed') throw new AppError('conversation_closed', 'This conversation has ended.');
    await countUpload(s, { accountId: account.id, kind: 'agent', id: agent.id });
    const { file, clientKey } = await readUpload(c, s, FILE_KINDS);
    const { message, created } = await storeUpload(s, {
      accountId: account.id,
      conversationId: target.id,
      author: 'agent',
      agentId: agent.id,
      file,
      clientKey,
    });
    const chatMessage = await deliverAgentMessage(s, {
      accountId: account.id,
      agentId: agent.id,
      conversation: target,
      message,
    });
    return c.json({ message: chatMessage }, created ? 201 : 200);
  });
  return routes;
}
