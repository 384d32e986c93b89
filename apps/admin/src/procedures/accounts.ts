import { listAccountSummaries } from '@parley/db';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const accountsRouter = router({
  /** Organisation, region, dates and team size: nothing from any chat, and no contact details. */
  list: staffProcedure.input(noInput).query(({ ctx }) => listAccountSummaries(ctx.deps.db)),
});
