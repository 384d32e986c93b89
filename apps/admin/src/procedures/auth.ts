import {
  checkPassword,
  confirmWithCode,
  findStaffForSignIn,
  getStaffMember,
  hasSecondFactor,
  normalizeStaffEmail,
  offerEnrolment,
  recordStaffAction,
  type StaffMember,
} from '@parley/db';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import { z } from 'zod';
import type { AdminContext } from '../context.ts';
import { AdminError } from '../errors.ts';
import {
  CONSOLE_ISSUER,
  issueStaffChallenge,
  readStaffChallenge,
  requireStaffCode,
  type StaffChallengePurpose,
  staffOwner,
} from '../second-factor.ts';
import { csrfTokenFor, startStaffSession, stopStaffSession } from '../staff-session.ts';
import { noInput, publicProcedure, router, staffProcedure } from '../trpc.ts';

export const SignInInput = z.object({
  email: z.email({ message: 'Enter the email address of your staff account.' }).max(320),
  password: z.string().min(1, { message: 'Enter your password.' }).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

const WRONG = 'The email or password is not right.';

const Challenge = z.string().min(1).max(300);
const Code = z.string().trim().min(6, { message: 'Enter the code your app shows.' }).max(32);

/** SEC-1: the second step of a sign-in, with a code from the staff member's app or a recovery code. */
export const CodeInput = z.object({ challenge: Challenge, code: Code });
export type CodeInput = z.infer<typeof CodeInput>;
export const ChallengeInput = z.object({ challenge: Challenge });
export type ChallengeInput = z.infer<typeof ChallengeInput>;

/** The active staff member a challenge names. */
async function challenged(ctx: AdminContext, token: string, purpose: StaffChallengePurpose) {
  const staff = await getStaffMember(ctx.deps.db, readStaffChallenge(ctx.deps, token, purpose));
  if (!staff)
    throw new AdminError('unauthenticated', 'This sign-in has expired. Sign in again with your password.');
  return staff;
}

/** Starts the session of a staff member who passed both steps. */
async function signedIn(ctx: AdminContext, staff: StaffMember) {
  const { db, now } = ctx.deps;
  // A new session every time, even for someone already signed in: no session id outlives a sign-in.
  if (ctx.session) await stopStaffSession(ctx.deps, ctx.session, new Headers());
  const { csrfToken, expiresAt } = await startStaffSession(ctx.deps, staff, ctx.resHeaders);
  await recordStaffAction(db, { staffId: staff.id, action: 'staff.signed_in', now: now() });
  return {
    staff: { id: staff.id, name: staff.name, email: staff.email, role: staff.role },
    csrfToken,
    expiresAt,
  };
}

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
    // SEC-1: the password alone makes no session: a code comes next, or the enrolment of a second factor.
    const staff = result.value;
    const next: StaffChallengePurpose = (await hasSecondFactor(db, staffOwner(staff.id))) ? 'code' : 'enrol';
    return { secondFactor: next, challenge: issueStaffChallenge(ctx.deps, staff.id, next) };
  }),

  signInWithCode: publicProcedure.input(CodeInput).mutation(async ({ ctx, input }) => {
    const staff = await challenged(ctx, input.challenge, 'code');
    await requireStaffCode(ctx, staff.id, input.code);
    return signedIn(ctx, staff);
  }),

  /** A staff member without a second factor sets one up here before their first session. */
  startEnrolment: publicProcedure.input(ChallengeInput).mutation(async ({ ctx, input }) => {
    const staff = await challenged(ctx, input.challenge, 'enrol');
    const offer = await offerEnrolment(ctx.deps.db, {
      owner: staffOwner(staff.id),
      keys: ctx.deps.secondFactorKeys,
      issuer: CONSOLE_ISSUER,
      label: staff.email,
      now: ctx.deps.now(),
    });
    if (!offer)
      throw new AdminError('invalid_state', 'Your second factor is set up. Sign in again with a code.');
    return offer;
  }),

  confirmEnrolment: publicProcedure.input(CodeInput).mutation(async ({ ctx, input }) => {
    const staff = await challenged(ctx, input.challenge, 'enrol');
    const confirmed = await confirmWithCode(ctx.deps.db, {
      owner: staffOwner(staff.id),
      keys: ctx.deps.secondFactorKeys,
      code: input.code,
      now: ctx.deps.now(),
    });
    if (confirmed.outcome === 'wrong_code')
      throw new AdminError(
        'invalid_credentials',
        'That code is not right. Type the code your app shows now.',
      );
    if (confirmed.outcome === 'not_enrolling')
      throw new AdminError('invalid_state', 'Start setting up the second factor again.');
    await recordStaffAction(ctx.deps.db, {
      staffId: staff.id,
      action: 'staff.second_factor_enrolled',
      now: ctx.deps.now(),
    });
    return { ...(await signedIn(ctx, staff)), recoveryCodes: confirmed.recoveryCodes };
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
