import {
  addAccountSupportMessage,
  listAccountSupportThreads,
  openSupportThread,
  readSupportThread,
  type SupportThread,
  SupportThreadNotFoundError,
} from '@parley/db';
import { writeAudit } from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { iso } from '../chat/summaries.ts';
import { AppError, readJson } from '../errors.ts';
import type { AppEnv, Services } from '../services.ts';

// COM-1: owners and admins write to the installation's operator and read the answers support staff give in the
// admin console. Each request is a thread; a thread with an answer not yet opened here is unread.

const Body = z.string().trim().min(1, { message: 'write a message' }).max(10_000);
export const NewSupportRequest = z.object({
  subject: z.string().trim().min(1, { message: 'give the request a subject' }).max(200),
  body: Body,
});
export const SupportReply = z.object({ body: Body });

const threadJson = (thread: SupportThread) => ({
  id: thread.id,
  subject: thread.subject,
  status: thread.status,
  unread: thread.unread,
  createdAt: iso(thread.createdAt),
  lastMessageAt: iso(thread.lastMessageAt),
  closedAt: thread.closedAt === null ? null : iso(thread.closedAt),
});

const notFound = (error: unknown): never => {
  if (error instanceof SupportThreadNotFoundError)
    throw new AppError('not_found', 'There is no such support request.');
  throw error;
};

export function supportRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);

  routes.get('/support', guarded, async (c) => {
    const threads = await listAccountSupportThreads(s.db, c.get('auth').account.id);
    return c.json({ threads: threads.map(threadJson), unread: threads.filter((t) => t.unread).length });
  });

  routes.post('/support', guarded, async (c) => {
    const { account, agent } = c.get('auth');
    const input = await readJson(c, NewSupportRequest);
    const id = await openSupportThread(s.db, {
      accountId: account.id,
      agentId: agent.id,
      subject: input.subject,
      body: input.body,
      now: s.clock.now(),
    });
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'support.requested',
      detail: { threadId: id },
    });
    return c.json({ id }, 201);
  });

  /** Opening a thread marks the answers in it read. */
  routes.get('/support/:id', guarded, async (c) => {
    const { thread, messages } = await readSupportThread(s.db, {
      threadId: c.req.param('id'),
      side: 'account',
      accountId: c.get('auth').account.id,
      now: s.clock.now(),
    }).catch(notFound);
    return c.json({
      thread: threadJson(thread),
      messages: messages.map((m) => ({
        id: m.id,
        author: m.author,
        authorName: m.author === 'staff' ? 'Support' : m.authorName,
        body: m.body,
        createdAt: iso(m.createdAt),
      })),
    });
  });

  /** Writing again opens a closed thread again. */
  routes.post('/support/:id', guarded, async (c) => {
    const { account, agent } = c.get('auth');
    const { body } = await readJson(c, SupportReply);
    await addAccountSupportMessage(s.db, {
      accountId: account.id,
      threadId: c.req.param('id'),
      agentId: agent.id,
      body,
      now: s.clock.now(),
    }).catch(notFound);
    return c.json({ sent: true });
  });

  return routes;
}
