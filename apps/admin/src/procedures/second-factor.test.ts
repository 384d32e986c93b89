import { sealSession } from '@parley/cookies';
import { sha256, totpCode } from '@parley/db';
import { FIXTURE, FIXTURE_NOW, insertRows, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness, TEST_KEYRING } from '../testing/admin-harness.ts';

// SEC-1: console staff must sign in with a second factor; one without it enrols before anything else works.

const OONA = FIXTURE.staff.operator;
const PASSWORD = 'correct horse battery staple';
const STEP = 30_000;

type Step = { secondFactor: 'code' | 'enrol'; challenge: string };

async function enrolled() {
  const h = await adminHarness();
  const first = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
  const { challenge } = first.data;
  const offer = await h.mutate<{ secret: string; uri: string; qr: { size: number; path: string } }>(
    'auth.startEnrolment',
    { challenge },
  );
  const confirmed = await h.mutate<{ recoveryCodes: string[] }>('auth.confirmEnrolment', {
    challenge,
    code: totpCode(offer.data.secret, h.clock.now),
  });
  expect(confirmed.status).toBe(200);
  return { h, secret: offer.data.secret, offer: offer.data, recoveryCodes: confirmed.data.recoveryCodes };
}

describe('SEC-1: the console second factor', () => {
  it('SEC-1: staff are required to enrol: the password gives no session, only an enrolment, which is audited', async () => {
    const h = await adminHarness();
    const first = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    expect(first.data.secondFactor).toBe('enrol');
    expect(first.headers.getSetCookie()).toEqual([]);
    expect(await readRows(h.db, 'sessions', { userKind: 'staff' })).toEqual([]);
    // The enrolment challenge is no code challenge.
    const asCode = await h.mutate('auth.signInWithCode', { challenge: first.data.challenge, code: '123456' });
    expect(asCode.status).toBe(401);

    const { offer, recoveryCodes, h: other } = await enrolled();
    expect(offer.uri).toMatch(/^otpauth:\/\/totp\/Parley%20console%3Aops%40parley\.test\?secret=/);
    expect(offer.qr.path.length).toBeGreaterThan(100);
    expect(recoveryCodes).toHaveLength(10);
    const audit = await readRows(other.db, 'auditLog', { action: 'staff.second_factor_enrolled' });
    expect(audit.map((a) => a.actorId)).toEqual([OONA.id]);
  });

  it('SEC-1: a session made before a staff member enrolled does nothing until they do', async () => {
    const h = await adminHarness();
    const sessionId = 'ses_before';
    await insertRows(h.db, 'sessions', [
      {
        id: sessionId,
        userKind: 'staff',
        userId: OONA.id,
        csrfTokenHash: sha256('unused'),
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + 60_000,
      },
    ]);
    const sealed = sealSession({ userId: OONA.id, signedInAt: FIXTURE_NOW, sessionId }, TEST_KEYRING);
    const r = await h.query('overview.counts', undefined, {
      cookie: `parley_admin_session=${sealed}`,
      csrf: '',
    });
    expect(r.status).toBe(401);
    expect(r.error?.message).toBe('Sign in again to set up your second factor.');
  });

  it('SEC-1: an enrolled staff member signs in with a code, and the same code is refused the second time', async () => {
    const { h, secret } = await enrolled();
    h.clock.now += STEP;
    const code = totpCode(secret, h.clock.now);
    const first = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    expect(first.data.secondFactor).toBe('code');
    const signedIn = await h.mutate<{ csrfToken: string }>('auth.signInWithCode', {
      challenge: first.data.challenge,
      code,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.getSetCookie()[0]).toMatch(/^parley_admin_session=/);
    const again = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    const replay = await h.mutate('auth.signInWithCode', { challenge: again.data.challenge, code });
    expect(replay.status).toBe(401);
    expect(replay.error?.data.appCode).toBe('invalid_credentials');
    expect(replay.headers.getSetCookie()).toEqual([]);
  });

  it('SEC-1: a recovery code signs a staff member in once', async () => {
    const { h, recoveryCodes } = await enrolled();
    const { data } = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    const code = recoveryCodes[9]!;
    expect((await h.mutate('auth.signInWithCode', { challenge: data.challenge, code })).status).toBe(200);
    expect((await h.mutate('auth.signInWithCode', { challenge: data.challenge, code })).status).toBe(401);
  });

  it('SEC-1: wrong codes are throttled: past the free failures even the right code waits, then gets in', async () => {
    const { h, secret } = await enrolled();
    h.clock.now += STEP;
    const { data } = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    const wrong = totpCode(secret, h.clock.now + 20 * STEP);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await h.mutate('auth.signInWithCode', { challenge: data.challenge, code: wrong })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const right = { challenge: data.challenge, code: totpCode(secret, h.clock.now) };
    const held = await h.mutate('auth.signInWithCode', right);
    expect(held.error?.data.appCode).toBe('too_many_attempts');
    expect(held.error?.message).toBe('Too many wrong codes for this email address. Try again in 1 second.');
    h.clock.now += 1_000;
    expect((await h.mutate('auth.signInWithCode', right)).status).toBe(200);
  });

  it('SEC-1: a challenge lasts five minutes', async () => {
    const { h, secret } = await enrolled();
    const { data } = await h.mutate<Step>('auth.signIn', { email: OONA.email, password: PASSWORD });
    h.clock.now += 5 * 60_000;
    const late = await h.mutate('auth.signInWithCode', {
      challenge: data.challenge,
      code: totpCode(secret, h.clock.now),
    });
    expect(late.status).toBe(401);
    expect(late.error?.message).toBe('This sign-in has expired. Sign in again with your password.');
  });
});
