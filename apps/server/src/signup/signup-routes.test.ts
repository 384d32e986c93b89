import { createInstallationToken, sha256, sweepRetention } from '@parley/db';
import { countRows, FIXTURE, readRow, readRows, updateRows } from '@parley/db/testing';
import { ManualClock } from '@parley/live/testing';
import { contentInForce, policyForInstallation, signupTermsText, versionInForce } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, signIn, type TestApp } from '../testing/test-app.ts';
import { CONFIRMATION_LIFETIME_MS } from './signup-routes.ts';

type Mode = 'open' | 'invite' | 'off';

const json = { 'content-type': 'application/json', origin: ORIGIN };
const PASSWORD = 'a long enough password';

async function signupApp(mode: Mode, options: { region?: 'NL' } = {}) {
  const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));
  const policy = policyForInstallation({
    payments: false,
    ...(options.region ? { region: options.region } : {}),
  });
  const app = await createTestApp({ clock, policy, config: { signup: mode, trustProxy: true } });
  return { app, clock, policy };
}

/** The form as the page gets it, filled in `waited` ms later the way a person does. */
async function form(app: TestApp, clock: ManualClock, waited = 5_000) {
  const answer = (await (await app.request('/app/api/signup/form')).json()) as {
    mode: Mode;
    available: boolean;
    policyVersion: string;
    formToken: string;
  };
  clock.advance(waited);
  return answer;
}

async function signUp(
  app: TestApp,
  clock: ManualClock,
  fields: Record<string, unknown> = {},
  options: { address?: string; waited?: number } = {},
) {
  const { policyVersion, formToken } = await form(app, clock, options.waited);
  return app.request('/app/api/signup', {
    method: 'POST',
    headers: { ...json, 'x-forwarded-for': options.address ?? '203.0.113.7' },
    body: JSON.stringify({
      organization: 'Globex Bakery',
      ownerName: 'Greta Globex',
      email: 'Greta@Globex.test',
      password: PASSWORD,
      phone: '+49 30 1234567',
      imHandle: '@greta:matrix.test',
      policyVersion,
      formToken,
      website: '',
      ...fields,
    }),
  });
}

/** The confirmation link's token, from the last mail queued to the address. */
async function mailedToken(app: TestApp, to = 'greta@globex.test'): Promise<string> {
  const mails = await readRows(app.db, 'noticeOutbox', { kind: 'signup_confirmation', toEmail: to });
  const body = mails.sort((a, b) => a.createdAt - b.createdAt).at(-1)?.body ?? '';
  const token = /\/signup\/confirm#([A-Za-z0-9_-]+)/.exec(body)?.[1];
  if (!token) throw new Error(`no confirmation link was mailed to ${to}`);
  return token;
}

const confirm = (app: TestApp, token: string) =>
  app.request('/app/api/signup/confirm', { method: 'POST', headers: json, body: JSON.stringify({ token }) });

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

describe('COL-1: who may sign up follows PARLEY_SIGNUP', () => {
  it('COL-1: with sign-up off, the form says so and a sign-up is refused', async () => {
    const { app, clock } = await signupApp('off');
    expect((await form(app, clock)).mode).toBe('off');
    const response = await signUp(app, clock);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'signup_closed' });
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);
  });

  it('COL-1: with sign-up by invitation, only an open code works, and only once', async () => {
    const { app, clock } = await signupApp('invite');
    expect((await signUp(app, clock)).status).toBe(403);
    const wrong = await signUp(app, clock, { invitationCode: 'not-a-code' });
    expect(await errorOf(wrong)).toMatchObject({ code: 'invitation_required' });
    const code = 'invite-code-0123456789';
    await createInstallationToken(app.db, {
      kind: 'signup_invitation',
      tokenHash: sha256(code),
      expiresAt: clock.now() + 86_400_000,
      now: clock.now(),
    });
    expect((await signUp(app, clock, { invitationCode: code })).status).toBe(202);
    const again = await signUp(app, clock, { invitationCode: code, email: 'other@globex.test' });
    expect(again.status).toBe(403);
    expect((await errorOf(again)).message).toMatch(/used already or has expired/);
    expect(await countRows(app.db, 'pendingSignups')).toBe(1);
  });
});

describe('COL-1, COL-4: a sign-up becomes an account once its email is confirmed', () => {
  it('COL-1: the sign-up keeps only hashes of the password and the link, and mails the link', async () => {
    const { app, clock } = await signupApp('open');
    const response = await signUp(app, clock);
    expect(response.status).toBe(202);
    const token = await mailedToken(app);
    const pending = await readRow(app.db, 'pendingSignups');
    expect(pending).toMatchObject({
      organization: 'Globex Bakery',
      ownerName: 'Greta Globex',
      email: 'greta@globex.test',
      phone: '+49 30 1234567',
      imHandle: '@greta:matrix.test',
      tokenHash: sha256(token),
    });
    expect(pending.expiresAt - pending.createdAt).toBe(CONFIRMATION_LIFETIME_MS);
    expect(JSON.stringify(pending)).not.toContain(PASSWORD);
    expect(JSON.stringify(pending)).not.toContain(token);
    expect(await countRows(app.db, 'accounts')).toBe(Object.keys(FIXTURE.accounts).length);
  });

  it('COL-1: until it is confirmed, sign-in is refused and says why', async () => {
    const { app, clock } = await signupApp('open');
    await signUp(app, clock);
    const response = await app.request('/app/api/sign-in', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'greta@globex.test', password: PASSWORD }),
    });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.code).toBe('email_unconfirmed');
    expect(error.message).toMatch(/Confirm your email address first/);
    // A wrong password learns nothing about the sign-up.
    const wrong = await app.request('/app/api/sign-in', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'greta@globex.test', password: 'not the password' }),
    });
    expect((await errorOf(wrong)).code).toBe('invalid_credentials');
  });

  it('COL-1, COL-4: confirming creates the account in the installation region with a consent record of the text shown, once', async () => {
    const { app, clock, policy } = await signupApp('open', { region: 'NL' });
    await signUp(app, clock);
    const token = await mailedToken(app);
    const confirmed = await confirm(app, token);
    expect(confirmed.status).toBe(201);

    const owner = await readRow(app.db, 'agents', { email: 'greta@globex.test' });
    expect(owner.role).toBe('owner');
    const account = await readRow(app.db, 'accounts', { id: owner.accountId });
    expect(account).toMatchObject({
      organization: 'Globex Bakery',
      contactName: 'Greta Globex',
      contactEmail: 'greta@globex.test',
      phone: '+49 30 1234567',
      imHandle: '@greta:matrix.test',
      region: 'NL',
    });
    const version = versionInForce(policy, clock.now());
    const consent = await readRow(app.db, 'consentRecords', { accountId: account.id });
    expect(consent).toMatchObject({
      agentId: owner.id,
      scope: 'signup',
      choice: 'consent',
      policyVersion: version.version,
      textHash: sha256(signupTermsText(version)),
      language: 'en',
    });
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);

    await signIn(app, 'greta@globex.test', { password: PASSWORD });
    const reused = await confirm(app, token);
    expect(reused.status).toBe(404);
    expect((await errorOf(reused)).message).toMatch(/not valid/);
  });

  it('COL-1: a sign-up from the German page keeps the hash of the German text it showed, which is not the English hash', async () => {
    const { app, clock, policy } = await signupApp('open');
    expect((await signUp(app, clock, { language: 'de' })).status).toBe(202);
    const version = versionInForce(policy, clock.now());
    const german = sha256(signupTermsText(version, 'de'));
    expect(german).not.toBe(sha256(signupTermsText(version, 'en')));
    expect(await readRow(app.db, 'pendingSignups', { email: 'greta@globex.test' })).toMatchObject({
      textHash: german,
      language: 'de',
    });
    // The mail is in German too, and its link opens the German confirmation page.
    const mail = await readRow(app.db, 'noticeOutbox', {
      kind: 'signup_confirmation',
      toEmail: 'greta@globex.test',
    });
    expect(mail.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse, um Globex Bakery bei Parley zu eröffnen');
    expect(mail.body).toMatch(/^Guten Tag Greta Globex,/);
    expect(mail.body).toMatch(/\/de\/signup\/confirm#[A-Za-z0-9_-]+/);
    expect((await confirm(app, await mailedToken(app))).status).toBe(201);
    const owner = await readRow(app.db, 'agents', { email: 'greta@globex.test' });
    expect(await readRow(app.db, 'consentRecords', { accountId: owner.accountId })).toMatchObject({
      scope: 'signup',
      policyVersion: version.version,
      textHash: german,
      language: 'de',
    });
  });

  it('COL-1: refuses a sign-up in a language the page is never shown in, and keeps nothing', async () => {
    const { app, clock } = await signupApp('open');
    const response = await signUp(app, clock, { language: 'fr' });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toMatch(/language/);
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);
  });

  it('COL-1: an address that already signs in gets a mail saying so, and the form answers as for any other', async () => {
    const { app, clock } = await signupApp('open');
    const email = FIXTURE.agents.acmeOwner.email;
    const response = await signUp(app, clock, { email });
    expect(response.status).toBe(202);
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);
    const mail = await readRow(app.db, 'noticeOutbox', { kind: 'signup_confirmation' });
    expect(mail.toEmail).toBe(email);
    expect(mail.subject).toBe('You already have a Parley sign-in');
  });

  it("COL-1: that mail speaks the holder's chosen language, else the sign-up page's", async () => {
    const { app, clock } = await signupApp('open');
    const owner = FIXTURE.agents.acmeOwner;
    const adam = FIXTURE.agents.acmeAgent;
    await updateRows(app.db, 'agents', { language: 'de' }, { id: adam.id });
    expect((await signUp(app, clock, { email: owner.email, language: 'de' })).status).toBe(202);
    expect((await signUp(app, clock, { email: adam.email, language: 'en' })).status).toBe(202);
    for (const email of [owner.email, adam.email]) {
      const mail = await readRow(app.db, 'noticeOutbox', { toEmail: email });
      expect(mail.subject, email).toBe('Sie haben bereits eine Parley-Anmeldung');
      expect(mail.body, email).toMatch(/^Guten Tag,\n\nJemand, hoffentlich Sie,/);
    }
  });

  it('COL-1: a changed policy version is refused until the page is reloaded', async () => {
    const { app, clock } = await signupApp('open');
    const response = await signUp(app, clock, { policyVersion: '1.3.0' });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).message).toMatch(/Reload the page/);
  });
});

describe('COL-1: sign-up resists programs and floods', () => {
  it.each([
    ['the honeypot is filled in', { website: 'http://spam.test' }, 0, /people do not see/],
    ['the form is sent too fast', {}, 200, /quicker than a person/],
    [
      'the form token is forged',
      { formToken: `${Date.now()}.${'A'.repeat(43)}` },
      5_000,
      /could not be checked/,
    ],
    ['the form is older than a day', {}, 25 * 3_600_000, /more than a day/],
  ])('COL-1: refuses a sign-up when %s, saying why', async (_title, fields, waited, message) => {
    const { app, clock } = await signupApp('open');
    const response = await signUp(app, clock, fields, { waited });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('form_refused');
    expect(error.message).toMatch(message);
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);
  });

  it('COL-1: sign-ups from one client address are limited, and other addresses are not held back', async () => {
    const { app, clock } = await signupApp('open');
    for (let i = 0; i < 5; i++)
      expect((await signUp(app, clock, { email: `owner${i}@globex.test` })).status).toBe(202);
    const held = await signUp(app, clock, { email: 'owner5@globex.test' });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(held)).message).toMatch(/from your network/);
    const other = await signUp(app, clock, { email: 'owner5@globex.test' }, { address: '198.51.100.4' });
    expect(other.status).toBe(202);
  });

  it('COL-1: the confirmation mail is sent again only after a pause, with a new link that replaces the old', async () => {
    const { app, clock } = await signupApp('open');
    await signUp(app, clock);
    const first = await mailedToken(app);
    const resend = () =>
      app.request('/app/api/signup/resend', {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ email: 'greta@globex.test' }),
      });
    const tooSoon = await resend();
    expect(tooSoon.status).toBe(429);
    expect((await errorOf(tooSoon)).message).toMatch(/less than two minutes ago/);
    clock.advance(2 * 60_000);
    expect((await resend()).status).toBe(202);
    const second = await mailedToken(app);
    expect(second).not.toBe(first);
    expect((await confirm(app, first)).status).toBe(404);
    expect((await confirm(app, second)).status).toBe(201);

    const unknown = await app.request('/app/api/signup/resend', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'nobody@globex.test' }),
    });
    expect(unknown.status).toBe(202);
  });
});

describe('RET-3, COL-1: an unconfirmed sign-up is deleted when its link expires', () => {
  it('RET-3, COL-1: the retention sweep deletes it after the link expired, and not before', async () => {
    const { app, clock, policy } = await signupApp('open');
    await signUp(app, clock);
    const token = await mailedToken(app);
    const content = contentInForce(policy, clock.now());
    await sweepRetention(app.db, content, { now: clock.now() + CONFIRMATION_LIFETIME_MS - 60_000 });
    expect(await countRows(app.db, 'pendingSignups')).toBe(1);
    clock.advance(CONFIRMATION_LIFETIME_MS);
    expect((await confirm(app, token)).status).toBe(404);
    await sweepRetention(app.db, content, { now: clock.now() });
    expect(await countRows(app.db, 'pendingSignups')).toBe(0);
  });
});
