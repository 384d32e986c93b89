import { marketingAudienceSize, queueMarketingEmail, recordStaffAction } from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const MarketingEmailInput = z.object({
  subject: z
    .string()
    .trim()
    .min(3, { message: 'Write a subject line.' })
    .max(150, { message: 'Keep the subject under 150 characters.' })
    // A line break in a subject would start a new mail header.
    .refine((s) => !/[\r\n]/.test(s), { message: 'The subject must fit on one line.' }),
  body: z
    .string()
    .trim()
    .min(10, { message: 'Write the message.' })
    .max(20_000, { message: 'Keep the message under 20,000 characters.' }),
});
export type MarketingEmailInput = z.infer<typeof MarketingEmailInput>;

export const marketingRouter = router({
  /** COM-2: who would receive a marketing email now: open accounts that opted in, and nobody else. */
  audience: staffProcedure.input(noInput).query(async ({ ctx }) => ({
    available: ctx.deps.unsubscribeUrl !== undefined,
    recipients: await marketingAudienceSize(ctx.deps.db),
  })),

  /** COM-2: queues the email to opted-in account holders, each with a working one-click unsubscribe link. */
  send: staffProcedure.input(MarketingEmailInput).mutation(async ({ ctx, input }) => {
    const { db, unsubscribeUrl, now } = ctx.deps;
    if (!unsubscribeUrl)
      throw new AdminError(
        'unavailable',
        'Marketing email needs the chat server’s unsubscribe links; open the console through the chat server to send it.',
      );
    const queued = await queueMarketingEmail(db, {
      subject: input.subject,
      body: input.body,
      unsubscribeUrl,
      now: now(),
    });
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'notice.marketing',
      detail: { queued },
      now: now(),
    });
    return { queued };
  }),
});
