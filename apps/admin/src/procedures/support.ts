import {
  closeSupportThread,
  listSupportThreads,
  readSupportThread,
  recordStaffAction,
  replyToSupportThread,
} from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { router, staffProcedure } from '../trpc.ts';

export const SupportListInput = z
  .object({
    status: z.enum(['open', 'closed']).optional(),
    limit: z.number().int().min(1).max(100).default(25),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 25, offset: 0 });

const ThreadId = z.string().min(1).max(100);
export const ThreadInput = z.object({ threadId: ThreadId });
export const ReplyInput = z.object({
  threadId: ThreadId,
  body: z.string().trim().min(1, { message: 'Write an answer.' }).max(10_000),
});

/** The mail that tells an account holder support has answered; the answer itself is read in the dashboard. */
const answerMail = (dashboardUrl: string | undefined) => (thread: { subject: string }) => ({
  subject: `Support answered: ${thread.subject}`,
  body: [
    `Support has answered your request "${thread.subject}".`,
    '',
    dashboardUrl
      ? `Read the answer and reply in your dashboard: ${dashboardUrl}#/support`
      : 'Read the answer and reply in your dashboard, under Support.',
  ].join('\n'),
});

export const supportRouter = router({
  /** COM-1: requests from account holders, open ones first, newest activity first. */
  list: staffProcedure
    .input(SupportListInput)
    .query(({ ctx, input }) => listSupportThreads(ctx.deps.db, input)),

  /** COM-1: one request with its messages; opening it marks it read for staff. */
  thread: staffProcedure.input(ThreadInput).query(async ({ ctx, input }) => {
    const read = await readSupportThread(ctx.deps.db, {
      threadId: input.threadId,
      side: 'staff',
      now: ctx.deps.now(),
    });
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'support.read',
      accountId: read.thread.accountId,
      detail: { threadId: input.threadId },
      now: ctx.deps.now(),
    });
    return read;
  }),

  /** COM-1: answers; the account holder is told by mail (through the outbox) and sees it unread in the dashboard. */
  reply: staffProcedure.input(ReplyInput).mutation(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    await replyToSupportThread(ctx.deps.db, {
      threadId: input.threadId,
      staffId: ctx.staff.id,
      body: input.body,
      now,
      mail: answerMail(ctx.deps.dashboardUrl),
    });
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'support.replied',
      detail: { threadId: input.threadId },
      now,
    });
    return { replied: true as const };
  }),

  /** COM-1: closes a request, which starts the retention clock of its messages. */
  close: staffProcedure.input(ThreadInput).mutation(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    if (!(await closeSupportThread(ctx.deps.db, { threadId: input.threadId, now })))
      throw new AdminError('invalid_state', 'Only an open request can be closed.');
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'support.closed',
      detail: { threadId: input.threadId },
      now,
    });
    return { closed: true as const };
  }),
});
