import { getAgent, listAgents, removeAgent, writeAudit } from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import { Hono } from 'hono';
import { requireAgent, requireOwner } from '../auth/agent-session.ts';
import { publishConversation, publishPresence, publishStatusToVisitor } from '../chat/notify.ts';
import { topics } from '../delivery/bus.ts';
import { AppError } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';
import { agentJson } from './dashboard-json.ts';

export function agentRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Per route, not `use('*')`: these routes are mounted beside public ones under the same prefix.
  const signedIn = requireAgent(s);

  routes.get('/agents', signedIn, async (c) => {
    const agents = await listAgents(s.db, c.get('auth').account.id);
    return c.json({ agents: agents.map(agentJson) });
  });

  /**
   * Removes an agent: they are signed out everywhere at once, their sockets close, they leave presence, and the
   * chats they were answering go back to the queue.
   */
  routes.delete('/agents/:id', signedIn, requireOwner, async (c) => {
    const { agent: owner, account } = c.get('auth');
    const agentId = c.req.param('id');
    if (agentId === owner.id) throw new AppError('conflict', 'You cannot remove yourself.');
    // Another account's agent is "not found", exactly like one that does not exist.
    const target = await getAgent(s.db, agentId, account.id);
    if (!target) throw new AppError('not_found', 'There is no such agent in this account.');
    const removed = await removeAgent(s.db, { accountId: account.id, agentId });
    if (!removed) throw new AppError('not_found', 'There is no such agent in this account.');
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: owner.id,
      accountId: account.id,
      action: 'agent.removed',
      detail: { agentId, requeued: removed.requeued.length },
    });
    s.bus.publish(topics.agent(agentId), { kind: 'disconnect', code: CLOSE_CODES.policy, reason: 'removed' });
    publishPresence(s, account.id, s.presence.remove(account.id, agentId));
    for (const conversationId of removed.requeued) {
      const conversation = await publishConversation(s, account.id, conversationId);
      if (conversation) publishStatusToVisitor(s, conversation);
    }
    return c.json({ removed: agentId });
  });

  return routes;
}
