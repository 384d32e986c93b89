import { unsealSession } from '@parley/cookies';
import { checkPassword } from '@parley/db';
import { countRows, FIXTURE, FIXTURE_PASSWORD, readRows } from '@parley/db/testing';
import { InMemorySignInThrottle } from '@parley/live';
import { burstAtOneEmail, burstFromOneAddress, expectedBursts, type SignInProbe } from '@parley/live/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  cookiesFrom,
  createTestApp,
  ORIGIN,
  policyAnnouncing,
  signIn,
  writeHeaders,
} from '../testing/test-app.ts';

// A spy around the real password check, so that a test can count the hashes a burst of sign-ins cost.
vi.mock('@parley/db', async (importOriginal) => {
  const db = await importOriginal<typeof import('@parley/db')>();
  return { ...db, checkPassword: vi.fn(db.checkPassword) };
});

const olivia = FIXTURE.agents.acmeOwner;
const adam = FIXTURE.agents.acmeAgent;

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
  body: JSON.stringify(body),
});

describe('sign-in', () => {
  it('CK-1: signs in with a sealed, HttpOnly session cookie holding the user id and sign-in time', async () => {
    const app = await createTestApp();
    const { response, csrfToken } = await signIn(app, olivia.email);
    const body = (await response.json()) as Record<string, Record<string, unknown>>;
    expect(body.agent).toMatchObject({
      id: olivia.id,
      name: olivia.name,
      email: olivia.email,
      role: 'owner',
    });
    expect(body.account).toMatchObject({
      id: FIXTURE.accounts.acme.id,
      publicKey: FIXTURE.accounts.acme.publicKey,
    });
    expect(JSON.stringify(body.account)).not.toContain('apiKeyHash');
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const [header] = response.headers.getSetCookie();
    expect(header).toMatch(/^parley_session=v1\./);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('Secure');
    expect(header).toContain('SameSite=Lax');
    const value = cookiesFrom(response).parley_session!;
    expect(value).not.toContain(olivia.id);
    const opened = unsealSession(value, app.parley.services.secrets.keyring, { maxAgeMs: 60_000 });
    expect(opened).toMatchObject({ ok: true, session: { userId: olivia.id } });
  });

  it('CK-1: keeps only a hash of the CSRF token, in a session row that expires in 12 hours', async () => {
    const app = await createTestApp();
    const before = Date.now();
    const { csrfToken } = await signIn(app, olivia.email);
    const [row] = await readRows(app.db, 'sessions', { userId: olivia.id });
    expect(row!.csrfTokenHash).not.toBe(csrfToken);
    expect(row!.csrfTokenHash).toMatch(/^[0-9a-f]{64}$/);
    // Twelve hours from the moment of sign-in, which lies between `before` and now, however long hashing took.
    expect(row!.expiresAt).toBeGreaterThanOrEqual(before + 12 * 3600_000);
    expect(row!.expiresAt).toBeLessThanOrEqual(Date.now() + 12 * 3600_000);
  });

  it('accepts the email in any case', async () => {
    const app = await createTestApp();
    await expect(signIn(app, `  ${olivia.email.toUpperCase()} `)).resolves.toBeTruthy();
  });

  it.each([
    ['a wrong password', olivia.email, 'not the password'],
    ['an unknown email', 'nobody@acme.test', 'correct horse battery staple'],
  ])('refuses %s with 401 and the same generic message', async (_title, email, password) => {
    const app = await createTestApp();
    const response = await app.request('/app/api/sign-in', post({ email, password, rememberEmail: false }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_credentials', message: 'The email address or the password is not right.' },
    });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('answers 422 for a body that is not the right shape, 415 for one that is not JSON', async () => {
    const app = await createTestApp();
    expect((await app.request('/app/api/sign-in', post({ email: olivia.email }))).status).toBe(422);
    const form = await app.request('/app/api/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: 'email=x',
    });
    expect(form.status).toBe(415);
  });

  it('SEC-1: refuses a sign-in posted from another site', async () => {
    const app = await createTestApp();
    const response = await app.request(
      '/app/api/sign-in',
      post(
        { email: olivia.email, password: 'correct horse battery staple' },
        { origin: 'https://evil.test' },
      ),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'cross_origin' } });
  });
});

describe('SEC-1: sign-in throttling, with real parallel bursts', () => {
  const probe = async (): Promise<SignInProbe> => {
    const clock = { now: 1_000_000 };
    const app = await createTestApp({
      config: { trustProxy: true },
      throttle: new InMemorySignInThrottle({ now: () => clock.now }),
    });
    const hashes = vi.mocked(checkPassword);
    hashes.mockClear();
    return {
      async signIn(email, password, address) {
        const response = await app.request(
          '/app/api/sign-in',
          post({ email, password, rememberEmail: false }, { 'x-forwarded-for': address }),
        );
        const body = (await response.json()) as { error?: { code: string; message: string } };
        if (response.status === 429) expect(body.error?.code).toBe('rate_limited');
        return {
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          message: body.error?.message ?? null,
        };
      },
      hashes: () => hashes.mock.calls.length,
      advance: (ms) => {
        clock.now += ms;
      },
      known: { email: adam.email, password: FIXTURE_PASSWORD },
    };
  };

  it('SEC-1: past the per-address limit, a burst is answered 429 without a password hash', async () => {
    expect(await burstFromOneAddress(await probe())).toEqual(expectedBursts().fromOneAddress);
  });

  it('SEC-1: per email, a growing delay but no lock-out: the right password from elsewhere gets in after it', async () => {
    expect(await burstAtOneEmail(await probe())).toEqual(expectedBursts().atOneEmail);
  });
});

describe('CK-2: remember my email', () => {
  it('CK-2: sets the cookie only when asked, and it outlives sign-out', async () => {
    const app = await createTestApp();
    const session = await signIn(app, olivia.email, { rememberEmail: true });
    const jar = cookiesFrom(session.response);
    expect(jar.parley_remember_email).toBe(encodeURIComponent(olivia.email));
    const header = session.response.headers
      .getSetCookie()
      .find((h) => h.startsWith('parley_remember_email='))!;
    expect(header).toContain('HttpOnly');
    expect(header).toMatch(/Max-Age=\d+/);
    const cookie = `${session.cookie}; parley_remember_email=${jar.parley_remember_email}`;

    const remembered = await app.request('/app/api/remembered-email', { headers: { cookie } });
    expect(await remembered.json()).toEqual({ email: olivia.email });

    const out = await app.request('/app/api/sign-out', {
      method: 'POST',
      headers: { origin: ORIGIN, cookie },
    });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    expect(cleared.some((h) => h.startsWith('parley_session=;') && h.includes('Max-Age=0'))).toBe(true);
    expect(cleared.some((h) => h.startsWith('parley_remember_email'))).toBe(false);
  });

  it('CHG-1: the cookie stays off while the version that declares it is announced and not yet in force', async () => {
    const DAY = 86_400_000;
    const announced = await createTestApp({ policy: policyAnnouncing('1.2.0', Date.now() + 25 * DAY) });
    const before = await signIn(announced, olivia.email, { rememberEmail: true });
    expect(cookiesFrom(before.response).parley_session).toBeDefined();
    expect(cookiesFrom(before.response).parley_remember_email).toBeUndefined();
    expect(announced.parley.services.policyVersion.version).toBe('1.1.0');

    const inForce = await createTestApp({ policy: policyAnnouncing('1.2.0', Date.now() - 1) });
    const after = await signIn(inForce, olivia.email, { rememberEmail: true });
    expect(cookiesFrom(after.response).parley_remember_email).toBe(encodeURIComponent(olivia.email));
  });

  it('CK-2: signing in without the box ticked removes a remembered email', async () => {
    const app = await createTestApp();
    const response = await app.request(
      '/app/api/sign-in',
      post(
        { email: olivia.email, password: 'correct horse battery staple', rememberEmail: false },
        { cookie: 'parley_remember_email=old%40acme.test' },
      ),
    );
    expect(response.status).toBe(200);
    expect(
      response.headers
        .getSetCookie()
        .some((h) => h.startsWith('parley_remember_email=;') && h.includes('Max-Age=0')),
    ).toBe(true);
  });

  it('CK-2: without the cookie there is no remembered email', async () => {
    const app = await createTestApp();
    expect(await (await app.request('/app/api/remembered-email')).json()).toEqual({ email: null });
  });
});

describe('sessions', () => {
  it('GET /me returns the agent, the account and the same CSRF token', async () => {
    const app = await createTestApp();
    const session = await signIn(app, adam.email);
    const response = await app.request('/app/api/me', { headers: { cookie: session.cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { agent: { id: string; role: string }; csrfToken: string };
    expect(body.agent).toMatchObject({ id: adam.id, role: 'agent' });
    expect(body.csrfToken).toBe(session.csrfToken);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 without a session, and for a tampered cookie', async () => {
    const app = await createTestApp();
    expect((await app.request('/app/api/me')).status).toBe(401);
    const session = await signIn(app, adam.email);
    const tampered = `${session.cookie.slice(0, -3)}AAA`;
    const response = await app.request('/app/api/me', { headers: { cookie: tampered } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('CK-1: signing out revokes the session on the server, so a kept copy of the cookie stops working', async () => {
    const app = await createTestApp();
    const session = await signIn(app, adam.email);
    const out = await app.request('/app/api/sign-out', {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: session.cookie },
    });
    expect(out.status).toBe(200);
    expect((await app.request('/app/api/me', { headers: { cookie: session.cookie } })).status).toBe(401);
    expect(await countRows(app.db, 'sessions', { userId: adam.id })).toBe(0);
  });

  it('SEC-1: refuses a state-changing request without the CSRF header, with a wrong one, or from another origin', async () => {
    const app = await createTestApp();
    const session = await signIn(app, olivia.email);
    const body = JSON.stringify({ phone: '+49 30 7654321' });
    const attempt = (headers: Record<string, string>) =>
      app.request('/app/api/account', { method: 'PATCH', headers, body });

    const missing = await attempt({
      'content-type': 'application/json',
      origin: ORIGIN,
      cookie: session.cookie,
    });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    expect((await attempt(writeHeaders(session, { 'x-parley-csrf': 'wrong' }))).status).toBe(403);
    const crossOrigin = await attempt(writeHeaders(session, { origin: 'https://evil.test' }));
    expect(crossOrigin.status).toBe(403);
    expect(await crossOrigin.json()).toMatchObject({ error: { code: 'cross_origin' } });
    const noOrigin = { ...writeHeaders(session) } as Record<string, string>;
    delete noOrigin.origin;
    expect((await attempt(noOrigin)).status).toBe(403);
    expect((await attempt({ ...noOrigin, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await attempt(writeHeaders(session))).status).toBe(200);
  });

  it('SEC-1: the CSRF token of one session does not work for another', async () => {
    const app = await createTestApp();
    const first = await signIn(app, olivia.email);
    const second = await signIn(app, olivia.email);
    const response = await app.request('/app/api/account', {
      method: 'PATCH',
      headers: writeHeaders(second, { 'x-parley-csrf': first.csrfToken }),
      body: JSON.stringify({ phone: '+49 30 7654321' }),
    });
    expect(response.status).toBe(403);
  });
});
