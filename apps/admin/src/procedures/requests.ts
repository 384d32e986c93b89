import { listAccountSummaries, listRequests } from '@parley/db';
import { z } from 'zod';
import { router, staffProcedure } from '../trpc.ts';

export const RequestsFilter = z
  .object({ state: z.enum(['open', 'overdue', 'completed', 'all']).default('all') })
  .default({ state: 'all' });
export type RequestsFilter = z.infer<typeof RequestsFilter>;

export const requestsRouter = router({
  /**
   * RET-4: every account's visitor requests with their deadlines, overdue first. Visitor ids are left out: staff
   * oversee deadlines; the account answers the visitor.
   */
  list: staffProcedure.input(RequestsFilter).query(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    const organizations = new Map(
      (await listAccountSummaries(ctx.deps.db)).map((a) => [a.id, a.organization] as const),
    );
    const rows = (await listRequests(ctx.deps.db, null, now)).map((r) => ({
      id: r.id,
      accountId: r.accountId,
      organization: organizations.get(r.accountId) ?? null,
      kind: r.kind,
      receivedAt: r.receivedAt,
      deadlineAt: r.deadlineAt,
      completedAt: r.completedAt,
      overdue: r.overdue,
      state:
        r.completedAt !== null
          ? ('completed' as const)
          : r.overdue
            ? ('overdue' as const)
            : ('open' as const),
      outcome: r.outcome as Record<string, unknown> | null,
    }));
    const order = { overdue: 0, open: 1, completed: 2 };
    return rows
      .filter((r) => input.state === 'all' || r.state === input.state)
      .sort((a, b) => order[a.state] - order[b.state] || a.deadlineAt - b.deadlineAt);
  }),
});
