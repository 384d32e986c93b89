import { getAgent, listAgents, removeAgent, setAgentRole, writeAudit } from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { endSessionsOf } from '../auth/agent-session.ts';
import { publishRequeued } from '../chat/notify.ts';
import { topics } from '../delivery/bus.ts';
import { AppError, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { agentJson } from './dashboard-json.ts';

/** The roles an owner or admin can give; ownership itself is not handed over here. */
export const RoleChange = z.object({ role: z.enum(['admin', 'agent']) });
export type RoleChange = z.infer<typeof RoleChange>;

const NO_AGENT = 'There is no such agent in this account.';

export function agentRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  /** Another member of the team that `auth` may act on: not themselves, not the owner, in this account. */
  const otherMember = async (auth: AgentAuth, agentId: string, ownMessage: string) => {
    if (agentId === auth.agent.id) throw new AppError('conflict', ownMessage);
    // Another account's agent is "not found", exactly like one that does not exist.
    const target = await getAgent(s.db, agentId, auth.account.id);
    if (!target) throw new AppError('not_found', NO_AGENT);
    if (target.role === 'owner')
      throw new AppError('forbidden', "The account's owner cannot be changed or removed.");
    return target;
  };

  /** The team, with whether each agent is available right now (chose "online" and has the dashboard open). */
  routes.get('/agents', guarded, async (c) => {
    const { account } = c.get('auth');
    const agents = await listAgents(s.db, account.id);
    return c.json({
      agents: await Promise.all(
        agents.map(async (agent) => ({
          ...agentJson(agent),
          online: await s.presence.isOnline(account.id, agent.id),
        })),
      ),
    });
  });

  /** Makes an agent an admin, or an admin a plain agent; their open dashboards reconnect with the new rights. */
  routes.patch('/agents/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const { role } = await readJson(c, RoleChange);
    const target = await otherMember(auth, c.req.param('id'), 'You cannot change your own role.');
    if (!(await setAgentRole(s.db, { accountId: auth.account.id, agentId: target.id, role })))
      throw new AppError('not_found', NO_AGENT);
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'agent.role_changed',
      detail: { agentId: target.id, from: target.role, to: role },
    });
    await s.bus.publish(topics.agent(target.id), {
      kind: 'disconnect',
      code: CLOSE_CODES.rightsChanged,
      reason: 'role changed',
    });
    return c.json({ agent: agentJson({ ...target, role }) });
  });

  /**
   * Removes an agent: they are signed out everywhere at once, their sockets close, they leave presence, and the
   * chats they were answering go back to the queue.
   */
  routes.delete('/agents/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const target = await otherMember(auth, c.req.param('id'), 'You cannot remove yourself.');
    const removed = await removeAgent(s.db, { accountId: auth.account.id, agentId: target.id });
    if (!removed) throw new AppError('not_found', NO_AGENT);
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'agent.removed',
      detail: { agentId: target.id, requeued: removed.requeued.length },
    });
    await endSessionsOf(s, { accountId: auth.account.id, agentId: target.id }, 'removed');
    await publishRequeued(s, auth.account.id, removed.requeued);
    return c.json({ removed: target.id });
  });

  return routes;
}
