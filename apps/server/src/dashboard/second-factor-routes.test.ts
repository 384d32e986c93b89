import { totpCode } from '@parley/db';
import { FIXTURE, readRows } from '@parley/db/testing';
import { InMemorySignInThrottle, RedisSignInThrottle, type SignInThrottle } from '@parley/live';
import { ManualClock, redisForTestFile } from '@parley/live/testing';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_LIFETIME_MS } from '../auth/second-factor.ts';
import { ephemeralSecrets } from '../auth/secrets.ts';
import {
  addAgent,
  cookiesFrom,
  createTestApp,
  FIXTURE_PASSWORD,
  ORIGIN,
  type SignedIn,
  signIn,
  type TestApp,
  type TestAppOptions,
  writeHeaders,
} from '../testing/test-app.ts';

// SEC-1: the dashboard's second factor: enrolling, signing in with a code or a recovery code, each code once,
// attempts throttled, owners required to have one when the installation says so, and resets by the team.

const OLIVIA = FIXTURE.agents.acmeOwner;
const ADAM = FIXTURE.agents.acmeAgent;
const STEP = 30_000;
const { redis, prefix } = redisForTestFile();
let throttleCount = 0;

async function setup(options: TestAppOptions = {}) {
  // Half-way through a time step, so that moving one step never lands on a boundary.
  const clock = new ManualClock(Math.floor(Date.now() / STEP) * STEP + STEP / 2);
  const app = await createTestApp({ clock, ...options });
  return { app, clock };
}

const post = (app: TestApp, path: string, body: unknown, session?: SignedIn) =>
  app.request(`/app/api${path}`, {
    method: 'POST',
    headers: session ? writeHeaders(session) : { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
  });

const passwordStep = async (app: TestApp, email: string) => {
  const response = await post(app, '/sign-in', { email, password: FIXTURE_PASSWORD });
  expect(response.status).toBe(200);
  expect(cookiesFrom(response).parley_session).toBeUndefined();
  return (await response.json()) as { secondFactor: 'code' | 'enrol'; challenge: string };
};

/** Enrols a signed-in person from their profile; returns the secret and the recovery codes. */
async function enrolFromProfile(app: TestApp, clock: ManualClock, session: SignedIn) {
  const offer = (await (await post(app, '/second-factor/enrol', {}, session)).json()) as {
    secret: string;
    uri: string;
    qr: { size: number; path: string };
  };
  const confirmed = await post(
    app,
    '/second-factor/confirm',
    { code: totpCode(offer.secret, clock.now()) },
    session,
  );
  expect(confirmed.status).toBe(200);
  const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
  return { ...offer, recoveryCodes };
}

describe('SEC-1: the dashboard second factor', () => {
  it('SEC-1: an agent enrols from their profile with a first code, gets ten recovery codes once, and it is audited', async () => {
    const { app, clock } = await setup();
    const adam = await signIn(app, ADAM.email);
    const status = await app.request('/app/api/second-factor', { headers: { cookie: adam.cookie } });
    expect(await status.json()).toEqual({ enrolled: false, required: false, recoveryCodesLeft: 0 });

    const offer = (await (await post(app, '/second-factor/enrol', {}, adam)).json()) as {
      secret: string;
      uri: string;
      qr: { size: number; path: string };
    };
    expect(offer.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(offer.uri).toContain(encodeURIComponent(ADAM.email));
    expect(offer.qr.size).toBeGreaterThan(20);
    const wrong = await post(
      app,
      '/second-factor/confirm',
      { code: totpCode(offer.secret, clock.now() + 10 * STEP) },
      adam,
    );
    expect(wrong.status).toBe(422);
    const right = await post(
      app,
      '/second-factor/confirm',
      { code: totpCode(offer.secret, clock.now()) },
      adam,
    );
    expect(((await right.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    const after = await app.request('/app/api/second-factor', { headers: { cookie: adam.cookie } });
    expect(await after.json()).toEqual({ enrolled: true, required: false, recoveryCodesLeft: 10 });
    expect((await post(app, '/second-factor/enrol', {}, adam)).status).toBe(409);
    const audit = await readRows(app.db, 'auditLog', { action: 'second_factor.enrolled' });
    expect(audit.map((a) => a.actorId)).toEqual([ADAM.id]);
    // The secret is stored sealed, never as given.
    const [factor] = await readRows(app.db, 'secondFactors', { agentId: ADAM.id });
    expect(factor?.secret).not.toContain(offer.secret);
  });

  it('SEC-1: with a second factor, the password makes no session; the code does, and is refused when replayed', async () => {
    const { app, clock } = await setup();
    const { secret } = await enrolFromProfile(app, clock, await signIn(app, ADAM.email));
    clock.advance(STEP);

    const first = await passwordStep(app, ADAM.email);
    expect(first.secondFactor).toBe('code');
    const code = totpCode(secret, clock.now());
    const signedIn = await post(app, '/sign-in/second-factor', { challenge: first.challenge, code });
    expect(signedIn.status).toBe(200);
    expect(cookiesFrom(signedIn).parley_session).toBeDefined();
    expect(((await signedIn.json()) as { agent: { id: string } }).agent.id).toBe(ADAM.id);

    // The same code, again within its window, is refused.
    const again = await passwordStep(app, ADAM.email);
    const replay = await post(app, '/sign-in/second-factor', { challenge: again.challenge, code });
    expect(replay.status).toBe(401);
    expect(cookiesFrom(replay).parley_session).toBeUndefined();
    clock.advance(STEP);
    const next = await post(app, '/sign-in/second-factor', {
      challenge: again.challenge,
      code: totpCode(secret, clock.now()),
    });
    expect(next.status).toBe(200);
  });

  it('SEC-1: a recovery code signs in once', async () => {
    const { app, clock } = await setup();
    const { recoveryCodes } = await enrolFromProfile(app, clock, await signIn(app, ADAM.email));
    const { challenge } = await passwordStep(app, ADAM.email);
    const code = recoveryCodes[0]!.toLowerCase();
    expect((await post(app, '/sign-in/second-factor', { challenge, code })).status).toBe(200);
    expect((await post(app, '/sign-in/second-factor', { challenge, code })).status).toBe(401);
    expect(await readRows(app.db, 'recoveryCodes')).toHaveLength(9);
  });

  it('SEC-1: a challenge works only for its own step and only for five minutes', async () => {
    const { app, clock } = await setup();
    const { secret } = await enrolFromProfile(app, clock, await signIn(app, ADAM.email));
    clock.advance(STEP);
    const { challenge } = await passwordStep(app, ADAM.email);
    expect((await post(app, '/sign-in/enrol', { challenge })).status).toBe(401);
    const forged = challenge.replace(ADAM.id, OLIVIA.id);
    expect(
      (await post(app, '/sign-in/second-factor', { challenge: forged, code: totpCode(secret, clock.now()) }))
        .status,
    ).toBe(401);
    clock.advance(CHALLENGE_LIFETIME_MS);
    const late = await post(app, '/sign-in/second-factor', {
      challenge,
      code: totpCode(secret, clock.now()),
    });
    expect(late.status).toBe(401);
    expect(((await late.json()) as { error: { message: string } }).error.message).toContain('expired');
  });

  // The throttle of one node, and the one several nodes share on Redis.
  const throttles: Array<[string, (now: () => number) => SignInThrottle]> = [
    ['in memory', (now) => new InMemorySignInThrottle({ now })],
    ['on Redis', (now) => new RedisSignInThrottle({ redis, prefix: `${prefix}${++throttleCount}:`, now })],
  ];
  it.each(throttles)(
    'SEC-1: wrong codes are throttled per person (%s): after the free failures, even the right code waits',
    async (_, makeThrottle) => {
      const clock = new ManualClock(Math.floor(Date.now() / STEP) * STEP + STEP / 2);
      const throttle = makeThrottle(() => clock.now());
      const { app } = await setup({ clock, throttle });
      const { secret } = await enrolFromProfile(app, clock, await signIn(app, ADAM.email));
      clock.advance(STEP);
      const { challenge } = await passwordStep(app, ADAM.email);
      const wrongCode = totpCode(secret, clock.now() + 20 * STEP);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await post(app, '/sign-in/second-factor', { challenge, code: wrongCode })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const held = await post(app, '/sign-in/second-factor', {
        challenge,
        code: totpCode(secret, clock.now()),
      });
      expect(held.status).toBe(429);
      expect(held.headers.get('Retry-After')).toBe('1');
      expect(((await held.json()) as { error: { message: string } }).error.message).toContain('wrong codes');
      clock.advance(1_000);
      expect(
        (await post(app, '/sign-in/second-factor', { challenge, code: totpCode(secret, clock.now()) }))
          .status,
      ).toBe(200);
    },
  );

  it('SEC-1: an owner must enrol at sign-in when the installation requires it, and cannot turn it off; agents may skip it', async () => {
    const { app, clock } = await setup({ config: { ownerSecondFactor: 'required' } });
    // A plain agent signs in with a password alone.
    await signIn(app, ADAM.email);

    const { secondFactor, challenge } = await passwordStep(app, OLIVIA.email);
    expect(secondFactor).toBe('enrol');
    expect((await post(app, '/sign-in/second-factor', { challenge, code: '123456' })).status).toBe(401);
    const offer = (await (await post(app, '/sign-in/enrol', { challenge })).json()) as { secret: string };
    const confirmed = await post(app, '/sign-in/enrol/confirm', {
      challenge,
      code: totpCode(offer.secret, clock.now()),
    });
    expect(confirmed.status).toBe(200);
    const body = (await confirmed.json()) as { recoveryCodes: string[]; csrfToken: string };
    expect(body.recoveryCodes).toHaveLength(10);
    const olivia = {
      cookie: `parley_session=${cookiesFrom(confirmed).parley_session}`,
      csrfToken: body.csrfToken,
    } as SignedIn;
    const status = await app.request('/app/api/second-factor', { headers: { cookie: olivia.cookie } });
    expect(await status.json()).toMatchObject({ enrolled: true, required: true });
    clock.advance(STEP);
    const off = await post(
      app,
      '/second-factor/disable',
      { code: totpCode(offer.secret, clock.now()) },
      olivia,
    );
    expect(off.status).toBe(403);
    // The next sign-in asks for a code.
    expect((await passwordStep(app, OLIVIA.email)).secondFactor).toBe('code');
  });

  it('SEC-1: an owner signed in before the installation required a second factor must sign in again to set it up', async () => {
    const db = (await setup()).app.db;
    // The same installation, restarted with the setting changed.
    const secrets = ephemeralSecrets();
    const before = await createTestApp({ db, secrets, config: { ownerSecondFactor: 'optional' } });
    const olivia = await signIn(before, OLIVIA.email);
    const required = await createTestApp({ db, secrets, config: { ownerSecondFactor: 'required' } });
    const refused = await required.request('/app/api/me', { headers: { cookie: olivia.cookie } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'Sign in again to set up your second factor.',
    );
    // A plain agent's sign-in goes on working.
    const adam = await signIn(before, ADAM.email);
    expect((await required.request('/app/api/me', { headers: { cookie: adam.cookie } })).status).toBe(200);
  });

  it('SEC-1: turning a second factor off needs a current code', async () => {
    const { app, clock } = await setup();
    const adam = await signIn(app, ADAM.email);
    const { secret } = await enrolFromProfile(app, clock, adam);
    expect(
      (await post(app, '/second-factor/disable', { code: totpCode(secret, clock.now()) }, adam)).status,
    ).toBe(401);
    clock.advance(STEP);
    expect(
      (await post(app, '/second-factor/disable', { code: totpCode(secret, clock.now()) }, adam)).status,
    ).toBe(200);
    expect(await readRows(app.db, 'secondFactors', { agentId: ADAM.id })).toEqual([]);
    expect(await readRows(app.db, 'auditLog', { action: 'second_factor.turned_off' })).toHaveLength(1);
    // Signing in takes the password alone again.
    await signIn(app, ADAM.email);
  });

  it("SEC-1: the owner or an admin resets an agent's second factor, audited; an agent cannot, nor an admin the owner's", async () => {
    const { app, clock } = await setup();
    const ADA = { id: 'agt_acme_ada', email: 'ada@acme.test', name: 'Ada', role: 'admin' as const };
    await addAgent(app.db, ADA);
    await enrolFromProfile(app, clock, await signIn(app, ADAM.email));
    const reset = (session: SignedIn, id: string) =>
      app.request(`/app/api/agents/${id}/second-factor`, {
        method: 'DELETE',
        headers: writeHeaders(session),
      });

    const olivia = await signIn(app, OLIVIA.email);
    await enrolFromProfile(app, clock, olivia);
    const ada = await signIn(app, ADA.email);
    expect((await reset(ada, OLIVIA.id)).status).toBe(403);
    expect((await reset(ada, ADA.id)).status).toBe(409);
    expect((await reset(ada, ADAM.id)).status).toBe(200);
    expect((await reset(ada, ADAM.id)).status).toBe(409);
    expect(await readRows(app.db, 'secondFactors', { agentId: ADAM.id })).toEqual([]);
    const audit = await readRows(app.db, 'auditLog', { action: 'second_factor.reset' });
    expect(audit.map((a) => [a.actorId, a.detail])).toEqual([[ADA.id, { agentId: ADAM.id }]]);
    const adam = await signIn(app, ADAM.email);
    expect((await reset(adam, ADA.id)).status).toBe(403);
  });
});
