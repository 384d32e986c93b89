import {
  type CannedReply,
  CannedReplyError,
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from '@parley/db';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { AppError, fieldsRefused, orRefusal, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { auditByAgent } from './dashboard-audit.ts';

// The account's canned replies: every agent reads them to insert one by its short name; owners and admins write them.

/** A reply as the dashboard sends it; the store checks what the short name and text may be, field by field. */
export const CannedReplyInput = z.strictObject({
  shortName: z.string().max(1000),
  body: z.string().max(20_000),
});
export type CannedReplyInput = z.infer<typeof CannedReplyInput>;

export function cannedReplyJson(reply: CannedReply) {
  return {
    id: reply.id,
    shortName: reply.shortName,
    body: reply.body,
    updatedAt: new Date(reply.updatedAt).toISOString(),
  };
}

export function cannedReplyRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);
  const audit = (auth: AgentAuth, action: string, cannedReplyId: string) =>
    auditByAgent(s, auth, action, { cannedReplyId });

  routes.get('/canned-replies', guarded, async (c) => {
    const replies = await listCannedReplies(s.db, c.get('auth').account.id);
    return c.json({ cannedReplies: replies.map(cannedReplyJson) });
  });

  routes.post('/canned-replies', guarded, async (c) => {
    const auth = c.get('auth');
    const input = await readJson(c, CannedReplyInput);
    const reply = await orRefusal(CannedReplyError, () =>
      createCannedReply(s.db, auth.account.id, input, { agentId: auth.agent.id }),
    );
    if (reply instanceof CannedReplyError) return fieldsRefused(c, reply.fields);
    await audit(auth, 'canned_reply.created', reply.id);
    return c.json(cannedReplyJson(reply), 201);
  });

  routes.put('/canned-replies/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const input = await readJson(c, CannedReplyInput);
    const reply = await orRefusal(CannedReplyError, () =>
      updateCannedReply(s.db, auth.account.id, c.req.param('id'), input, { agentId: auth.agent.id }),
    );
    if (reply instanceof CannedReplyError) return fieldsRefused(c, reply.fields);
    if (!reply) throw new AppError('not_found', 'This account has no such canned reply.');
    await audit(auth, 'canned_reply.updated', reply.id);
    return c.json(cannedReplyJson(reply));
  });

  routes.delete('/canned-replies/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const id = c.req.param('id');
    if (!(await deleteCannedReply(s.db, auth.account.id, id)))
      throw new AppError('not_found', 'This account has no such canned reply.');
    await audit(auth, 'canned_reply.deleted', id);
    return c.body(null, 204);
  });
  return routes;
}
