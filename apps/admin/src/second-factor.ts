import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkSecondFactor, type FactorOwner, ownerLabel } from '@parley/db';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import type { AdminContext, AdminDeps } from './context.ts';
import { AdminError } from './errors.ts';

/**
 * SEC-1: every member of staff signs in to the console with a second factor. The password step gives a challenge,
 * signed with a key derived from the session keyring, naming the staff member and lasting five minutes; the page
 * sends it back with a code, or, for someone without a second factor yet, with their enrolment. No session exists
 * before that, so nothing else in the console works until a staff member has enrolled.
 */
export const STAFF_CHALLENGE_LIFETIME_MS = 5 * 60_000;

/** The issuer an authenticator app lists the console's codes under. */
export const CONSOLE_ISSUER = 'Parley console';

export type StaffChallengePurpose = 'code' | 'enrol';

export const staffOwner = (staffId: string): FactorOwner => ({ kind: 'staff', id: staffId });

function sign(deps: AdminDeps, payload: string): string {
  const key = Buffer.from(
    hkdfSync('sha256', deps.keyring.current.key, Buffer.alloc(0), 'parley-admin-second-factor', 32),
  );
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function issueStaffChallenge(
  deps: AdminDeps,
  staffId: string,
  purpose: StaffChallengePurpose,
): string {
  const payload = `${purpose}.${staffId}.${deps.now()}`;
  return `${payload}.${sign(deps, payload)}`;
}

/** The staff id a live challenge of this purpose names; any other token is refused alike. */
export function readStaffChallenge(deps: AdminDeps, token: string, purpose: StaffChallengePurpose): string {
  const parts = token.split('.');
  const [kind, staffId, issued, mac] = parts;
  const expected = Buffer.from(sign(deps, `${kind}.${staffId}.${issued}`));
  const given = Buffer.from(mac ?? '');
  const valid = parts.length === 4 && expected.length === given.length && timingSafeEqual(expected, given);
  if (!valid || kind !== purpose || !staffId || Number(issued) + STAFF_CHALLENGE_LIFETIME_MS <= deps.now())
    throw new AdminError('unauthenticated', 'This sign-in has expired. Sign in again with your password.');
  return staffId;
}

/** Checks and spends a code or recovery code, counted by the sign-in throttle under the staff member's own key. */
export async function requireStaffCode(ctx: AdminContext, staffId: string, code: string): Promise<void> {
  const { deps } = ctx;
  const owner = staffOwner(staffId);
  const attempt = { email: `second-factor:${ownerLabel(owner)}`, address: ctx.clientAddress };
  const result = await throttledSignIn(deps.throttle, attempt, () =>
    checkSecondFactor(deps.db, { owner, keys: deps.secondFactorKeys, code, now: deps.now() }),
  );
  if (result.outcome === 'throttled') {
    ctx.resHeaders.set('Retry-After', retryAfterSeconds(result));
    throw new AdminError(
      'too_many_attempts',
      throttledMessage(result).replace('wrong passwords', 'wrong codes'),
    );
  }
  if (result.outcome === 'wrong')
    throw new AdminError('invalid_credentials', 'That code is not right, or it has been used already.');
}

/** A key for a console run on its own, in tests: secrets sealed with it do not outlive the process. */
export const ephemeralSecondFactorKeys = () => [{ id: 'ephemeral', key: randomBytes(32) }] as const;
