import type { Keyring } from '@parley/cookies';
import {
  confirmWithCode,
  findStaffForSignIn,
  offerEnrolment,
  type ParleyDb,
  removeSecondFactor,
  type SecondFactorKeys,
  totpCode,
} from '@parley/db';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, FIXTURE_PASSWORD } from '@parley/db/testing';
import { parleyPolicy } from '@parley/policy';
import { createAdminApp } from '../admin-app.ts';
import type { AdminAppOptions } from '../context.ts';

export const ORIGIN = 'http://localhost';

export const TEST_KEYRING: Keyring = { current: { id: 'test', key: Buffer.alloc(32, 7) }, previous: [] };

export interface StaffCookie {
  /** `parley_admin_session=…`, as a browser would send it. */
  cookie: string;
  csrf: string;
}

export interface TrpcReply<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
  error: {
    message: string;
    data: { code: string; httpStatus: number; appCode: string | null; issues: unknown };
  } | null;
}

async function reply<T>(response: Response): Promise<TrpcReply<T>> {
  const json = (await response.json()) as { result?: { data: T }; error?: TrpcReply['error'] };
  return {
    status: response.status,
    headers: response.headers,
    data: json.result?.data as T,
    error: json.error ?? null,
  };
}

/**
 * An admin app over a fresh fixture database, with a clock the test moves, and helpers that speak tRPC over HTTP
 * the way the console's page does.
 */
export async function adminHarness(options: Partial<AdminAppOptions> & { db?: ParleyDb } = {}) {
  const db = options.db ?? (await createTestDatabase());
  const clock = { now: FIXTURE_NOW };
  const errors: string[] = [];
  const keys: SecondFactorKeys = options.secondFactorKeys ?? [{ id: 'test', key: Buffer.alloc(32, 9) }];
  const app = createAdminApp({
    secondFactorKeys: keys,
    db,
    policy: parleyPolicy,
    keyring: TEST_KEYRING,
    now: () => clock.now,
    logError: (message) => errors.push(message),
    ...options,
  });

  const query = async <T = unknown>(path: string, input?: unknown, session?: StaffCookie | null) => {
    const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return reply<T>(
      await app.request(`/admin/trpc/${path}${search}`, {
        headers: session ? { cookie: session.cookie } : {},
      }),
    );
  };

  const mutate = async <T = unknown>(
    path: string,
    input?: unknown,
    session?: StaffCookie | null,
    headers: Record<string, string> = {},
  ) =>
    reply<T>(
      await app.request(`/admin/trpc/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: ORIGIN,
          ...(session ? { cookie: session.cookie, 'x-parley-csrf': session.csrf } : {}),
          ...headers,
        },
        body: input === undefined ? '' : JSON.stringify(input),
      }),
    );

  /**
   * SEC-1: each staff member's unused recovery codes. The harness enrols staff straight in the store (so that the
   * audit log holds only what a test does) and signs in with one recovery code each time: signing in again needs no
   * move of the clock to a fresh TOTP step. Run out, a staff member is enrolled afresh.
   */
  const recoveryCodes = new Map<string, string[]>();
  const recoveryCodeFor = async (email: string): Promise<string> => {
    const left = recoveryCodes.get(email) ?? [];
    if (left.length > 0) return left.shift()!;
    const staff = await findStaffForSignIn(db, email);
    if (!staff) throw new Error(`no staff member ${email}`);
    const owner = { kind: 'staff' as const, id: staff.id };
    await removeSecondFactor(db, owner);
    const offer = await offerEnrolment(db, { owner, keys, issuer: 'test', label: email, now: clock.now });
    const confirmed = await confirmWithCode(db, {
      owner,
      keys,
      code: totpCode(offer!.secret, clock.now),
      now: clock.now,
    });
    if (confirmed.outcome !== 'confirmed') throw new Error(`enrolling ${email}: ${confirmed.outcome}`);
    recoveryCodes.set(email, confirmed.recoveryCodes);
    return recoveryCodeFor(email);
  };

  /** Both steps of a sign-in: the password, then a recovery code of the staff member's second factor. */
  const signIn = async (
    email: string = FIXTURE.staff.operator.email,
    password: string = FIXTURE_PASSWORD,
  ): Promise<StaffCookie> => {
    // For an email no staff member has, the password step fails first, and the code is never sent.
    const code = await recoveryCodeFor(email).catch(() => 'ABCDE-FGHJK');
    const first = await mutate<{ challenge: string }>('auth.signIn', { email, password });
    if (first.error) throw new Error(`sign-in failed: ${first.error.message}`);
    const r = await mutate<{ csrfToken: string }>('auth.signInWithCode', {
      challenge: first.data.challenge,
      code,
    });
    if (r.error) throw new Error(`sign-in failed: ${r.error.message}`);
    const setCookie = r.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0]!, csrf: r.data.csrfToken };
  };

  return { db, app, clock, errors, query, mutate, signIn };
}

export type AdminHarness = Awaited<ReturnType<typeof adminHarness>>;
