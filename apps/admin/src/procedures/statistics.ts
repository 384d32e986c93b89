import { conversationStatistics } from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { router, staffProcedure } from '../trpc.ts';

const DAY = 86_400_000;

export const StatisticsInput = z.object({
  from: z.iso.date({ message: 'Give the first day as YYYY-MM-DD.' }),
  to: z.iso.date({ message: 'Give the last day as YYYY-MM-DD.' }),
});
export type StatisticsInput = z.infer<typeof StatisticsInput>;

export const statisticsRouter = router({
  /**
   * LOG-3: installation-wide figures. Each one computed over fewer people than the policy's minimum group size is
   * withheld, value and all, and the console says so.
   */
  installation: staffProcedure.input(StatisticsInput).query(async ({ ctx, input }) => {
    const from = Date.parse(input.from);
    const to = Date.parse(input.to) + DAY;
    if (to <= from) throw new AdminError('invalid_input', 'The last day comes before the first.');
    if (to - from > 366 * DAY) throw new AdminError('invalid_input', 'Choose a period of at most a year.');
    const statistics = await conversationStatistics(ctx.deps.db, ctx.deps.content, null, { from, to });
    return {
      from: input.from,
      to: input.to,
      minimumGroupSize: ctx.deps.content.statistics.minimumGroupSize,
      statistics,
    };
  }),
});
