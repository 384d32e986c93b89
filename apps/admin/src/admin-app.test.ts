import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealSession } from '@parley/cookies';
import { sha256, totpCode } from '@parley/db';
import { FIXTURE, FIXTURE_NOW, insertRows, readRows, updateRows } from '@parley/db/testing';
import { contentInForce, parleyPolicy } from '@parley/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from './router.ts';
import { SESSION_TTL_MS } from './staff-session.ts';
import { type AdminHarness, adminHarness, type StaffCookie, TEST_KEYRING } from './testing/admin-harness.ts';

const declared = contentInForce(parleyPolicy).cookies.find((c) => c.name === 'parley_admin_session')!;

/** The procedures that work signed out: the steps of signing in, and asking who is signed in. */
const SIGNED_OUT = new Set([
  'auth.signIn',
  'auth.signInWithCode',
  'auth.startEnrolment',
  'auth.confirmEnrolment',
  'auth.me',
]);

/** Every procedure but those that work signed out, with its type, read from the router itself. */
const staffProcedures = Object.entries(
  adminRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([path]) => !SIGNED_OUT.has(path))
  .map(([path, procedure]) => ({ path, type: procedure._def.type }));
const staffMutations = staffProcedures.filter((p) => p.type === 'mutation');

describe('signing in', () => {
  it('CK-1: sets exactly the declared parley_admin_session cookie, sealed, HttpOnly, SameSite=Strict', async () => {
    const h = await adminHarness();
    const password = await h.mutate<{ secondFactor: string; challenge: string }>('auth.signIn', {
      email: FIXTURE.staff.operator.email,
      password: 'correct horse battery staple',
    });
    // SEC-1: the password alone sets no cookie; the second factor's step does.
    expect(password.headers.getSetCookie()).toEqual([]);
    const { challenge } = password.data;
    const offer = await h.mutate<{ secret: string }>('auth.startEnrolment', { challenge });
    const r = await h.mutate<{ staff: { id: string }; csrfToken: string }>('auth.confirmEnrolment', {
      challenge,
      code: totpCode(offer.data.secret, h.clock.now),
    });
    expect(r.status).toBe(200);
    expect(r.data.staff.id).toBe(FIXTURE.staff.operator.id);
    const cookies = r.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = cookies[0]!.split('; ');
    expect(pair!.split('=')[0]).toBe(declared.name);
    // Sealed: neither the staff id nor the session id can be read from it.
    expect(pair).not.toContain(FIXTURE.staff.operator.id);
    expect(pair).toMatch(/^parley_admin_session=v1\.test\./);
    expect(attributes).toEqual(['Path=/', 'Secure', 'SameSite=Strict', 'HttpOnly']);
    expect(declared).toMatchObject({ sameSite: 'Strict', httpOnly: true, secure: true, lifetime: 'session' });
  });

  it('records a staff session row that expires after eight hours and holds only a hash of the CSRF token', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const [row] = await readRows(h.db, 'sessions', { userKind: 'staff' });
    expect(row).toMatchObject({
      userId: FIXTURE.staff.operator.id,
      createdAt: FIXTURE_NOW,
      expiresAt: FIXTURE_NOW + SESSION_TTL_MS,
      csrfTokenHash: sha256(session.csrf),
    });
  });

  it('refuses a wrong password with 401 UNAUTHORIZED and sets no cookie', async () => {
    const h = await adminHarness();
    const r = await h.mutate('auth.signIn', {
      email: FIXTURE.staff.operator.email,
      password: 'wrong password',
    });
    expect(r.status).toBe(401);
    expect(r.error?.data).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'invalid_credentials' });
    expect(r.headers.getSetCookie()).toEqual([]);
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const h = await adminHarness();
    const r = await h.mutate('auth.signIn', { email: 'nobody@parley.test', password: 'whatever' });
    expect(r.status).toBe(401);
    expect(r.error?.message).toBe('The email or password is not right.');
  });

  it('refuses an agent: only operator staff sign in here', async () => {
    const h = await adminHarness();
    const r = await h.mutate('auth.signIn', {
      email: FIXTURE.agents.acmeOwner.email,
      password: 'correct horse battery staple',
    });
    expect(r.status).toBe(401);
  });

  it('SEC-1: after five wrong passwords for one email, makes the next try wait, then lets the right one in', async () => {
    const h = await adminHarness();
    for (let i = 0; i < 5; i++)
      expect(
        (await h.mutate('auth.signIn', { email: FIXTURE.staff.operator.email, password: `no ${i}` })).status,
      ).toBe(401);
    const held = await h.mutate('auth.signIn', {
      email: FIXTURE.staff.operator.email,
      password: 'correct horse battery staple',
    });
    expect(held.status).toBe(429);
    expect(held.error?.data.appCode).toBe('too_many_attempts');
    expect(held.error?.message).toBe(
      'Too many wrong passwords for this email address. Try again in 1 second.',
    );
    expect(held.headers.get('retry-after')).toBe('1');
    h.clock.now += 1000;
    await expect(h.signIn()).resolves.toHaveProperty('csrf');
  });

  it('validates input with clear messages', async () => {
    const h = await adminHarness();
    const r = await h.mutate('auth.signIn', { email: 'not-an-email', password: '' });
    expect(r.status).toBe(400);
    expect(r.error?.data.appCode).toBe('invalid_input');
    expect(JSON.stringify(r.error?.data.issues)).toContain('Enter the email address of your staff account.');
  });

  it('me is null when signed out and returns the same CSRF token after a reload', async () => {
    const h = await adminHarness();
    expect((await h.query('auth.me')).data).toBeNull();
    const session = await h.signIn();
    const me = await h.query<{ csrfToken: string; staff: { name: string } }>('auth.me', undefined, session);
    expect(me.data).toMatchObject({ csrfToken: session.csrf, staff: { name: FIXTURE.staff.operator.name } });
  });
});

describe('signing out', () => {
  it('CK-1: deletes the session and the cookie, and the old cookie no longer works', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const out = await h.mutate('auth.signOut', undefined, session);
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual([
      'parley_admin_session=; Max-Age=0; Path=/; Secure; SameSite=Strict; HttpOnly',
    ]);
    expect(await readRows(h.db, 'sessions', { userKind: 'staff' })).toEqual([]);
    const after = await h.query('overview.counts', undefined, session);
    expect(after.status).toBe(401);
  });
});

describe('staff procedures', () => {
  // The refusals below change nothing, so one app and one pair of sessions serve them all.
  let shared: AdminHarness;
  let session: StaffCookie;
  let other: StaffCookie;
  beforeAll(async () => {
    shared = await adminHarness();
    session = await shared.signIn();
    other = await shared.signIn();
  });

  it.each(staffProcedures)('$path refuses without a session', async ({ path, type }) => {
    const h = shared;
    const r = type === 'mutation' ? await h.mutate(path, undefined, null) : await h.query(path);
    expect(r.status).toBe(401);
    expect(r.error?.data).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'unauthenticated' });
  });

  it.each(staffMutations)(
    '$path refuses without the CSRF header, or with another session’s',
    async ({ path }) => {
      const h = shared;
      const missing = await h.mutate(path, undefined, { cookie: session.cookie, csrf: '' });
      expect(missing.status).toBe(403);
      expect(missing.error?.data.appCode).toBe('csrf_refused');
      const wrong = await h.mutate(path, undefined, { cookie: session.cookie, csrf: other.csrf });
      expect(wrong.status).toBe(403);
    },
  );

  it.each(staffMutations)('$path refuses a request from another origin', async ({ path }) => {
    const h = shared;
    const r = await h.mutate(path, undefined, session, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.error?.data.appCode).toBe('origin_refused');
  });

  it('refuses mutations that name no origin or come from another site, sign-in included', async () => {
    const h = await adminHarness();
    const input = { email: FIXTURE.staff.operator.email, password: 'correct horse battery staple' };
    const noOrigin = await h.app.request('/admin/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await h.mutate('auth.signIn', input, null, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('accepts an origin the operator allowed, e.g. behind a reverse proxy', async () => {
    const h = await adminHarness({ allowedOrigins: ['https://admin.example.org'] });
    const r = await h.mutate(
      'auth.signIn',
      { email: FIXTURE.staff.operator.email, password: 'correct horse battery staple' },
      null,
      { origin: 'https://admin.example.org' },
    );
    expect(r.status).toBe(200);
  });

  it('refuses an agent’s session sealed with the same keyring', async () => {
    const h = await adminHarness();
    await insertRows(h.db, 'sessions', [
      {
        id: 'ses_agent',
        userKind: 'agent',
        userId: FIXTURE.agents.acmeOwner.id,
        csrfTokenHash: sha256('x'),
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + SESSION_TTL_MS,
      },
    ]);
    const sealed = sealSession(
      { userId: FIXTURE.agents.acmeOwner.id, signedInAt: FIXTURE_NOW, sessionId: 'ses_agent' },
      TEST_KEYRING,
    );
    const r = await h.query('overview.counts', undefined, {
      cookie: `parley_admin_session=${sealed}`,
      csrf: 'x',
    });
    expect(r.status).toBe(401);
  });

  it('refuses and clears a tampered cookie', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const tampered = `${session.cookie.slice(0, -2)}${session.cookie.endsWith('A') ? 'BB' : 'AA'}`;
    const r = await h.query('overview.counts', undefined, { cookie: tampered, csrf: session.csrf });
    expect(r.status).toBe(401);
    expect(r.headers.getSetCookie()[0]).toMatch(/^parley_admin_session=; Max-Age=0/);
  });

  it('ends a session eight hours after sign-in', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    h.clock.now += SESSION_TTL_MS - 1000;
    expect((await h.query('overview.counts', undefined, session)).status).toBe(200);
    h.clock.now += 2000;
    expect((await h.query('overview.counts', undefined, session)).status).toBe(401);
  });

  it('ends the sessions of staff who have been removed', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    await updateRows(h.db, 'operatorStaff', { removedAt: FIXTURE_NOW }, { id: FIXTURE.staff.operator.id });
    expect((await h.query('overview.counts', undefined, session)).status).toBe(401);
  });
});

describe('HTTP', () => {
  it('serves the console page with a strict Content-Security-Policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-admin-ui-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Parley admin</title>');
    await writeFile(join(dir, 'app.js'), 'export {};');
    await writeFile(join(dir, 'app.css'), 'body{}');
    const h = await adminHarness({ publicDirectory: dir });
    const page = await h.app.request('/admin');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await h.app.request('/admin/app.js')).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await h.app.request('/admin/app.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('says how to build the page when it has not been built', async () => {
    const h = await adminHarness({ publicDirectory: join(tmpdir(), 'parley-admin-missing') });
    const page = await h.app.request('/admin');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('pnpm --filter @parley/admin build');
  });

  it('never lets API answers be cached', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    const r = await h.query('overview.counts', undefined, session);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('answers unknown paths with a JSON error', async () => {
    const h = await adminHarness();
    const r = await h.app.request('/admin/nothing');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: 'not_found', message: 'There is nothing here.' } });
  });

  it('refuses an oversized request body', async () => {
    const h = await adminHarness();
    const r = await h.app.request('/admin/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(300 * 1024) }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });
});
