import { listAccountSummaries, reinstateAccount, searchAccounts, suspendAccount } from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

export const AccountSearchInput = z
  .object({
    /** Part of the organisation's name or of the owner's email. */
    text: z.string().trim().max(200).optional(),
    status: z.enum(['open', 'suspended', 'closed']).optional(),
    limit: z.number().int().min(1).max(100).default(25),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .default({ limit: 25, offset: 0 });
export type AccountSearchInput = z.infer<typeof AccountSearchInput>;

export const SuspendInput = z.object({
  accountId: z.string().min(1).max(100),
  reason: z
    .string()
    .trim()
    .min(3, { message: 'Say why the account is suspended; staff see the reason.' })
    .max(500),
});
export const ReinstateInput = z.object({ accountId: z.string().min(1).max(100) });

export const accountsRouter = router({
  /** Organisation, region, dates and team size: nothing from any chat, and no contact details. */
  list: staffProcedure.input(noInput).query(({ ctx }) => listAccountSummaries(ctx.deps.db)),

  /** A page of accounts matching the search, with any suspension and its reason. */
  search: staffProcedure.input(AccountSearchInput).query(({ ctx, input }) =>
    searchAccounts(ctx.deps.db, {
      limit: input.limit,
      offset: input.offset,
      ...(input.text ? { text: input.text } : {}),
      ...(input.status ? { status: input.status } : {}),
    }),
  ),

  /**
   * Suspends an account: its agents' sign-ins end and their dashboards and the widgets' sockets close on every
   * node; until it is reinstated, agents cannot sign in and widgets show the offline form.
   */
  suspend: staffProcedure.input(SuspendInput).mutation(async ({ ctx, input }) => {
    const suspended = await suspendAccount(ctx.deps.db, {
      accountId: input.accountId,
      reason: input.reason,
      staffId: ctx.staff.id,
      now: ctx.deps.now(),
    });
    if (!suspended)
      throw new AdminError('invalid_state', 'Only an open account that is not suspended can be suspended.');
    await ctx.deps.closeAccountSockets(input.accountId);
    return { suspended: true as const };
  }),

  /** Lifts a suspension: agents may sign in again, and widgets offer chat once one of them is online. */
  reinstate: staffProcedure.input(ReinstateInput).mutation(async ({ ctx, input }) => {
    const reinstated = await reinstateAccount(ctx.deps.db, {
      accountId: input.accountId,
      staffId: ctx.staff.id,
      now: ctx.deps.now(),
    });
    if (!reinstated) throw new AdminError('invalid_state', 'This account is not suspended.');
    return { reinstated: true as const };
  }),
});
