import { readdir } from 'node:fs/promises';
import { outboxStatus, queueMergerNotice } from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { router, staffProcedure } from '../trpc.ts';

export const MergerNoticeInput = z.object({
  acquirer: z
    .string()
    .trim()
    .min(2, { message: 'Name the company that takes over.' })
    .max(200)
    .refine((s) => !/[\r\n]/.test(s), { message: 'The name must fit on one line.' }),
  transferDate: z.iso.date({ message: 'Give the transfer date as YYYY-MM-DD.' }),
});
export type MergerNoticeInput = z.infer<typeof MergerNoticeInput>;

export const OutboxInput = z
  .object({ limit: z.number().int().min(1).max(200).default(50) })
  .default({ limit: 50 });

async function countMailFiles(directory: string): Promise<number | null> {
  try {
    return (await readdir(directory)).filter((name) => name.endsWith('.eml')).length;
  } catch {
    return null;
  }
}

export const noticesRouter = router({
  /**
   * SHR-2: tells every account holder who takes over and when, before their data moves under another policy. A
   * date that is not in the future is refused: the notice must come first.
   */
  merger: staffProcedure.input(MergerNoticeInput).mutation(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    if (Date.parse(input.transferDate) <= now)
      throw new AdminError(
        'invalid_input',
        'The transfer date must be in the future: people are told before their data moves.',
      );
    const queued = await queueMergerNotice(ctx.deps.db, {
      acquirer: input.acquirer,
      transferDate: input.transferDate,
      ...(ctx.deps.policyUrl ? { policyUrl: ctx.deps.policyUrl } : {}),
      staffId: ctx.staff.id,
      now,
    });
    return { queued };
  }),

  /** What the mailer has to do, without bodies or addresses. */
  outbox: staffProcedure.input(OutboxInput).query(async ({ ctx, input }) => {
    const status = await outboxStatus(ctx.deps.db, input.limit);
    const directory = ctx.deps.mailDirectory;
    return {
      ...status,
      mailDirectory: directory ?? null,
      mailFiles: directory ? await countMailFiles(directory) : null,
    };
  }),
});
