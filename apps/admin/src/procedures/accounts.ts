import {
  closeAccount,
  createInstallationToken,
  listAccountSummaries,
  newSecret,
  recordStaffAction,
  sha256,
} from '@parley/db';
import { getDemoAccount } from '@parley/db/chat';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

/** How long a sign-up invitation code works (PARLEY_SIGNUP=invite). */
export const SIGNUP_INVITATION_LIFETIME_MS = 14 * 24 * 60 * 60_000;

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
});
