import { createStaffMember, hashPassword, sha256 } from '@parley/db';
import { countRows, createTestDatabase, readRow, readRows } from '@parley/db/testing';
import { ManualClock } from '@parley/live/testing';
import { policyForInstallation } from '@parley/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, signIn, type TestApp } from '../testing/test-app.ts';
import { startTestParley, type TestParley } from '../testing/test-parley.ts';
import { ensureSetupToken, SETUP_LINK_LIFETIME_MS, setupLink } from './setup-link.ts';

const json = { 'content-type': 'application/json', origin: ORIGIN };
const staff = { name: 'Olga Operator', email: 'Olga@Ops.test', password: 'staff password 1' };
const business = {
  organization: 'Initech',
  ownerName: 'Ivo Initech',
  email: 'ivo@initech.test',
  password: 'owner password 1',
};

/** An installation with no staff and no accounts, as a production start finds it, and the link it printed. */
async function emptyInstallation(): Promise<{ app: TestApp; clock: ManualClock; token: string }> {
  const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));
  const db = await createTestDatabase({ seed: false });
  const app = await createTestApp({ db, clock, policy: policyForInstallation({ region: 'CA' }) });
  const token = await ensureSetupToken(db, clock.now());
  if (!token) throw new Error('an empty installation made no setup token');
  return { app, clock, token };
}

const setUp = (app: TestApp, body: Record<string, unknown>) =>
  app.request('/setup/api', { method: 'POST', headers: json, body: JSON.stringify(body) });

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

describe('setting up an installation with its one-time link', () => {
  it('keeps only the hash of the token, and the page needs the token always', async () => {
    const { app, token } = await emptyInstallation();
    const stored = await readRow(app.db, 'installationTokens', { kind: 'setup' });
    expect(stored.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(await readRows(app.db, 'installationTokens'))).not.toContain(token);
    expect(setupLink('https://chat.example.test', token)).toBe(`https://chat.example.test/setup#${token}`);

    const page = await app.request('/setup');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toMatch(/<script>|<style>| style=/);

    const check = (t: string) =>
      app.request('/setup/api/check', { method: 'POST', headers: json, body: JSON.stringify({ token: t }) });
    expect((await check(token)).status).toBe(200);
    const wrong = await check('x'.repeat(43));
    expect(wrong.status).toBe(404);
    expect((await errorOf(wrong)).message).toMatch(/setup link is not valid/);
    const without = await setUp(app, { token: 'x'.repeat(43), staff });
    expect(without.status).toBe(404);
    expect(await countRows(app.db, 'operatorStaff')).toBe(0);
  });

  it('COL-4: creates the first staff member and the first business in the installation region, once', async () => {
    const { app, token } = await emptyInstallation();
    const short = await setUp(app, { token, staff: { ...staff, password: 'short' } });
    expect(short.status).toBe(422);
    expect((await errorOf(short)).message).toMatch(/at least 10 characters/);

    const done = await setUp(app, { token, staff, business });
    expect(done.status).toBe(201);
    expect(await readRow(app.db, 'operatorStaff')).toMatchObject({
      email: 'olga@ops.test',
      name: 'Olga Operator',
    });
    const account = await readRow(app.db, 'accounts');
    expect(account).toMatchObject({
      organization: 'Initech',
      region: 'CA',
      contactEmail: 'ivo@initech.test',
    });
    await signIn(app, 'ivo@initech.test', { password: business.password });
    expect(await readRow(app.db, 'auditLog', { action: 'installation.set_up' })).toMatchObject({
      actorKind: 'staff',
      accountId: account.id,
    });

    const again = await setUp(app, { token, staff: { ...staff, email: 'mallory@ops.test' } });
    expect(again.status).toBe(404);
    expect((await errorOf(again)).message).toMatch(/set up already/);
    expect(await countRows(app.db, 'operatorStaff')).toBe(1);
  });

  it('creates no business unless one is asked for', async () => {
    const { app, token } = await emptyInstallation();
    expect((await setUp(app, { token, staff })).status).toBe(201);
    expect(await countRows(app.db, 'accounts')).toBe(0);
  });

  it('refuses an expired link, and a link an earlier start printed', async () => {
    const { app, clock, token } = await emptyInstallation();
    const newer = await ensureSetupToken(app.db, clock.now());
    expect((await setUp(app, { token, staff })).status).toBe(404);
    clock.advance(SETUP_LINK_LIFETIME_MS);
    const expired = await setUp(app, { token: newer, staff });
    expect(expired.status).toBe(404);
    expect((await errorOf(expired)).message).toMatch(/expired/);
    expect(await countRows(app.db, 'operatorStaff')).toBe(0);
  });

  it('makes no link once a staff member exists', async () => {
    const db = await createTestDatabase({ seed: false });
    await createStaffMember(db, {
      email: 'a@ops.test',
      name: 'A',
      passwordHash: await hashPassword('x'.repeat(12)),
    });
    expect(await ensureSetupToken(db)).toBeNull();
  });
});

describe('PARLEY_DEMO', () => {
  let running: TestParley | null = null;
  afterEach(async () => {
    await running?.remove();
    running = null;
  });

  it('=0 creates no demo and no staff password, and each start prints a new setup link', async () => {
    running = await startTestParley({ PARLEY_DEMO: '0' });
    const { parley } = running;
    expect(parley.demo).toBeNull();
    expect(parley.firstStaff).toBeNull();
    const first = parley.setupToken;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { db } = parley.app.services;
    expect(await countRows(db, 'accounts')).toBe(0);
    expect(await countRows(db, 'operatorStaff')).toBe(0);
    const check = (token: string) =>
      fetch(`${running!.addresses.chat}/setup/api/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: running!.addresses.chat },
        body: JSON.stringify({ token }),
      });
    expect((await check(first!)).status).toBe(200);

    // A restart while setup is pending prints a new link; the old one stops working.
    await running.stop();
    const restarted = await startTestParley(
      { PARLEY_DEMO: '0' },
      { url: running.databaseUrl, path: running.databasePath },
    );
    try {
      const second = restarted.parley.setupToken;
      expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second).not.toBe(first);
      const checkOn = (token: string) =>
        fetch(`${restarted.addresses.chat}/setup/api/check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: restarted.addresses.chat },
          body: JSON.stringify({ token }),
        });
      expect((await checkOn(first!)).status).toBe(404);
      expect((await checkOn(second!)).status).toBe(200);
    } finally {
      await restarted.remove();
    }
  });

  it('=1, the default, keeps the demo and the printed first staff member', async () => {
    running = await startTestParley();
    expect(running.parley.demo).not.toBeNull();
    expect(running.parley.firstStaff).not.toBeNull();
    expect(running.parley.setupToken).toBeNull();
  });
});
