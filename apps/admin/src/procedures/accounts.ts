import {
  closeAccount,
  createInstallationToken,
  listAccountSummaries,
  newSecret,
  recordStaffAction,
  reinstateAccount,
  resetOwnerSecondFactor,
  searchAccounts,
  sha256,
  suspendAccount,
} from '@parley/db';
import { getDemoAccount } from '@parley/db/chat';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

/** How long a sign-up invitation code works (PARLEY_SIGNUP=invite). */
export const SIGNUP_INVITATION_LIFETIME_MS = 14 * 24 * 60 * 60_000;

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
export const OwnerSecondFactorInput = z.object({
  accountId: z.string().min(1).max(100),
  email: z
    .string()
    .trim()
    .min(3, { message: 'Give the owner’s sign-in email, as they told it to you.' })
    .max(254),
});

/** SEC-1: the notice an owner gets at their sign-in address when staff removed their second factor. */
const ownerResetMail = (dashboardUrl: string | undefined, at: number) => (owner: { name: string }) => ({
  subject: 'Your second factor was removed',
  body: [
    `Hello ${owner.name},`,
    '',
    `At your request, the staff of this Parley installation removed the second factor of your sign-in on ${new Date(at).toUTCString()}.`,
    `Sign in with your password${dashboardUrl ? ` at ${dashboardUrl}` : ''} and set up a new one under Profile; your recovery codes from before no longer work.`,
    '',
    'If you did not ask for this, change your password at once and write to the installation’s operator.',
  ].join('\n'),
});

export const accountsRouter = router({
  /** Organisation, region, dates and team size: nothing from any chat, and no contact details. */
  list: staffProcedure.input(noInput).query(({ ctx }) => listAccountSummaries(ctx.deps.db)),

  /** The demo account the first `npm start` made, if it is still open. */
  demo: staffProcedure.input(noInput).query(async ({ ctx }) => {
    const demo = await getDemoAccount(ctx.deps.db);
    return demo ? { id: demo.id, organization: demo.organization } : null;
  }),

  /**
   * Removes the demo account the way an account is closed: nobody signs in to it any more, its open sockets close
   * on every node, and the retention sweep erases its data when the policy's period after closing has passed.
   */
  removeDemo: staffProcedure.input(noInput).mutation(async ({ ctx }) => {
    const { db, now } = ctx.deps;
    const demo = await getDemoAccount(db);
    if (!demo) throw new AdminError('not_found', 'This installation has no demo account.');
    const closed = await closeAccount(db, { accountId: demo.id, now: now() });
    if (!closed) throw new AdminError('not_found', 'The demo account was removed already.');
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'account.demo_removed',
      accountId: demo.id,
      now: now(),
    });
    await ctx.deps.onAccountClosed(demo.id);
    return { removed: demo.id };
  }),

  /**
   * COL-1: a single-use code for signing up when sign-up is by invitation. Only its hash is kept; the code is shown
   * this once, for staff to give to the business.
   */
  createSignupInvitation: staffProcedure.input(noInput).mutation(async ({ ctx }) => {
    const { db, now } = ctx.deps;
    const code = newSecret();
    const expiresAt = now() + SIGNUP_INVITATION_LIFETIME_MS;
    const { id } = await createInstallationToken(db, {
      kind: 'signup_invitation',
      tokenHash: sha256(code),
      expiresAt,
      now: now(),
    });
    await recordStaffAction(db, {
      staffId: ctx.staff.id,
      action: 'signup.invitation_created',
      detail: { invitationId: id },
      now: now(),
    });
    return { code, expiresAt };
  }),

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

  /**
   * SEC-1: removes the second factor of an account's owner who lost their phone and their recovery codes, once
   * staff have made sure they speak to the owner. Staff type the address the person gave; it must be the owner's
   * sign-in email, which the console never shows. The owner is told at that address.
   */
  resetOwnerSecondFactor: staffProcedure.input(OwnerSecondFactorInput).mutation(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    const result = await resetOwnerSecondFactor(ctx.deps.db, {
      accountId: input.accountId,
      email: input.email,
      staffId: ctx.staff.id,
      now,
      mail: ownerResetMail(ctx.deps.dashboardUrl, now),
    });
    if (result === 'not_the_owner')
      throw new AdminError(
        'not_found',
        'That is not the sign-in email of this open account’s owner. Nothing was changed.',
      );
    if (result === 'no_second_factor')
      throw new AdminError(
        'invalid_state',
        'The owner has no second factor to remove; they can sign in with their password.',
      );
    return { reset: true as const };
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
