import {
  findStaffForSignIn,
  hashPassword,
  normalizeStaffEmail,
  recordStaffAction,
  verifyPassword,
} from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { csrfTokenFor, startStaffSession, stopStaffSession } from '../staff-session.ts';
import { noInput, publicProcedure, router, staffProcedure } from '../trpc.ts';

export const SignInInput = z.object({
  email: z.email({ message: 'Enter the email address of your staff account.' }).max(320),
  password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

// Unknown emails are checked against a real hash too, so the answer takes as long whether or not the email exists.
let decoyHash: Promise<string> | undefined;
const decoy = (): Promise<string> => {
  decoyHash ??= hashPassword('parley-admin-decoy-password');
  return decoyHash;
};

const WRONG = 'The email or password is not right.';

export const authRouter = router({
  signIn: publicProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const { db, throttle, now } = ctx.deps;
    const key = normalizeStaffEmail(input.email);
    const wait = throttle.retryAfter(key, now());
    if (wait > 0)
      throw new AdminError(
        'too_many_attempts',
        `Too many wrong passwords for this email. Try again in ${Math.ceil(wait / 60_000)} minutes.`,
      );
    const staff = await findStaffForSignIn(db, input.email);
    const ok = await verifyPassword(input.password, staff?.passwordHash ?? (await decoy()));
    if (!staff || !ok) {
      throttle.fail(key, now());
      if (staff)
        await recordStaffAction(db, { staffId: staff.id, action: 'staff.sign_in_refused', now: now() });
      throw new AdminError('invalid_credentials', WRONG);
    }
    throttle.reset(key);
    // A new session every time, even for someone already signed in: no session id outlives a sign-in.
    if (ctx.session) await stopStaffSession(ctx.deps, ctx.session, new Headers());
    const { csrfToken, expiresAt } = await startStaffSession(ctx.deps, staff, ctx.resHeaders);
    await recordStaffAction(db, { staffId: staff.id, action: 'staff.signed_in', now: now() });
    return { staff: { id: staff.id, name: staff.name, email: staff.email }, csrfToken, expiresAt };
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
      staff: { id: session.staff.id, name: session.staff.name, email: session.staff.email },
      csrfToken,
      expiresAt: session.expiresAt,
    };
  }),
});
