import { checkPassword, findStaffForSignIn, normalizeStaffEmail, recordStaffAction } from '@parley/db';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { csrfTokenFor, startStaffSession, stopStaffSession } from '../staff-session.ts';
import { noInput, publicProcedure, router, staffProcedure } from '../trpc.ts';

export const SignInInput = z.object({
  email: z.email({ message: 'Enter the email address of your staff account.' }).max(320),
  password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

const WRONG = 'The email or password is not right.';

export const authRouter = router({
  signIn: publicProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const { db, throttle, now } = ctx.deps;
    const attempt = { email: normalizeStaffEmail(input.email), address: ctx.clientAddress };
    const result = await throttledSignIn(throttle, attempt, async () => {
      const staff = await findStaffForSignIn(db, input.email);
      const ok = await checkPassword(input.password, staff?.passwordHash);
      if (staff && !ok)
        await recordStaffAction(db, { staffId: staff.id, action: 'staff.sign_in_refused', now: now() });
      return staff && ok ? staff : null;
    });
    if (result.outcome === 'throttled') {
      ctx.resHeaders.set('Retry-After', retryAfterSeconds(result));
      throw new AdminError('too_many_attempts', throttledMessage(result));
    }
    if (result.outcome === 'wrong') throw new AdminError('invalid_credentials', WRONG);
    const staff = result.value;
    // A new session every time, even for someone already signed in: no session id outlives a sign-in.
    if (ctx.session) await stopStaffSession(ctx.deps, ctx.session, new Headers());
    const { csrfToken, expiresAt } = await startStaffSession(ctx.deps, staff, ctx.resHeaders);
    await recordStaffAction(db, { staffId: staff.id, action: 'staff.signed_in', now: now() });
    return {
      staff: { id: staff.id, name: staff.name, email: staff.email, role: staff.role },
      csrfToken,
      expiresAt,
    };
  }),

  signOut: staffProcedure.input(noInput).mutation(async ({ ctx }) => {
    await stopStaffSession(ctx.deps, ctx.session, ctx.resHeaders);
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'staff.signed_out',
      now: ctx.deps.now(),
    });
    return { signedOut: true as const };
  }),

  /** Who is signed in, with the CSRF token the console sends on every change; null when nobody is. */
  me: publicProcedure.input(noInput).query(({ ctx }) => {
    const session = ctx.session;
    if (!session) return null;
    const csrfToken = csrfTokenFor(ctx.deps.keyring, session);
    if (csrfToken === null) return null;
    return {
      staff: {
        id: session.staff.id,
        name: session.staff.name,
        email: session.staff.email,
        role: session.staff.role,
      },
      csrfToken,
      expiresAt: session.expiresAt,
    };
  }),
});
