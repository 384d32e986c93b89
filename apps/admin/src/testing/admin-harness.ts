import type { Keyring } from '@parley/cookies';
import type { ParleyDb } from '@parley/db';
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
  const app = createAdminApp({
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

  const signIn = async (
    email: string = FIXTURE.staff.operator.email,
    password: string = FIXTURE_PASSWORD,
  ): Promise<StaffCookie> => {
    const r = await mutate<{ csrfToken: string }>('auth.signIn', { email, password });
    if (r.error) throw new Error(`sign-in failed: ${r.error.message}`);
    const setCookie = r.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0]!, csrf: r.data.csrfToken };
  };

  return { db, app, clock, errors, query, mutate, signIn };
}

export type AdminHarness = Awaited<ReturnType<typeof adminHarness>>;
