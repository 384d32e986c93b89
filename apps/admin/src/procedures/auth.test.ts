import { checkPassword } from '@parley/db';
import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { burstAtOneEmail, burstFromOneAddress, expectedBursts, type SignInProbe } from '@parley/live/testing';
import { describe, expect, it, vi } from 'vitest';
import { adminHarness, ORIGIN } from '../testing/admin-harness.ts';

// A spy around the real password check, so that a test can count the hashes a burst of sign-ins cost.
vi.mock('@parley/db', async (importOriginal) => {
  const db = await importOriginal<typeof import('@parley/db')>();
  return { ...db, checkPassword: vi.fn(db.checkPassword) };
});

/** `auth.signIn` posted the way `@hono/node-server` delivers it: with the peer's socket as the environment. */
async function probe(): Promise<SignInProbe> {
  const h = await adminHarness();
  const hashes = vi.mocked(checkPassword);
  hashes.mockClear();
  return {
    async signIn(email, password, address) {
      const response = await h.app.request(
        '/admin/trpc/auth.signIn',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN },
          body: JSON.stringify({ email, password }),
        },
        { incoming: { socket: { remoteAddress: address } } },
      );
      const body = (await response.json()) as { error?: { message: string; data: { appCode: string } } };
      if (response.status === 429) expect(body.error?.data.appCode).toBe('too_many_attempts');
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        message: body.error?.message ?? null,
      };
    },
    hashes: () => hashes.mock.calls.length,
    advance: (ms) => {
      h.clock.now += ms;
    },
    known: { email: FIXTURE.staff.operator.email, password: FIXTURE_PASSWORD },
  };
}

describe('SEC-1: staff sign-in throttling, with real parallel bursts', () => {
  it('SEC-1: past the per-address limit, a burst is answered 429 without a password hash', async () => {
    expect(await burstFromOneAddress(await probe())).toEqual(expectedBursts().fromOneAddress);
  });

  it('SEC-1: per email, a growing delay but no lock-out: the right password from elsewhere gets in after it', async () => {
    expect(await burstAtOneEmail(await probe())).toEqual(expectedBursts().atOneEmail);
  });
});
