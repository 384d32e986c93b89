import { checkPassword } from '@parley/db';
import { countRows, FIXTURE, FIXTURE_PASSWORD, readRow, readRows, updateRows } from '@parley/db/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectAgent,
  createTestApp,
  inProcessClient,
  ORIGIN,
  policyAnnouncing,
  signIn,
  startTestServer,
  type TestApp,
  type TestServer,
  writeHeaders,
} from '../testing/test-app.ts';

// RET-2: people correct their own name, profile, sign-in email and password, and end their own sign-ins.

const OLIVIA = FIXTURE.agents.acmeOwner;
const ADAM = FIXTURE.agents.acmeAgent;
const NEW_PASSWORD = 'a brand new passphrase';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const send = (app: Pick<TestApp, 'request'>, session: Awaited<ReturnType<typeof signIn>>) => ({
  get: (path: string) => app.request(`/app/api${path}`, { headers: { cookie: session.cookie } }),
  write: (method: string, path: string, body?: unknown) =>
    app.request(`/app/api${path}`, {
      method,
      headers: writeHeaders(session),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
});

const publicPost = (app: TestApp, path: string, body: unknown = {}) =>
  app.request(`/app/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
  });

/** The token of the last link mailed to `to` with `path` in it. */
async function linkTokenIn(app: TestApp, to: string, path: string): Promise<string> {
  const mail = await readRows(app.db, 'noticeOutbox', { toEmail: to, kind: 'account_security' });
  const bodies = mail.map((m) => m.body).join('\n');
  const tokens = [...bodies.matchAll(new RegExp(`${path}/([A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1]!);
  if (tokens.length === 0) throw new Error(`no ${path} link was mailed to ${to}`);
  return tokens.at(-1)!;
}

describe('RET-2: the profile', () => {
  it('RET-2: an agent reads and changes their own name, display name, initials and notification settings', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    expect(await (await adam.get('/profile')).json()).toEqual({
      name: 'Adam',
      email: ADAM.email,
      pendingEmail: null,
      displayName: null,
      initials: null,
      language: null,
      notifications: { sound: true, desktop: false, missedChatMail: true },
    });
    const changed = await adam.write('PATCH', '/profile', {
      name: ' Adam Smith ',
      displayName: 'Adam S.',
      initials: 'AS',
      notifications: { desktop: true, missedChatMail: false },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      name: 'Adam Smith',
      displayName: 'Adam S.',
      initials: 'AS',
      notifications: { sound: true, desktop: true, missedChatMail: false },
    });
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({
      name: 'Adam Smith',
      displayName: 'Adam S.',
      notifyDesktop: true,
      notifyMissedMail: false,
    });
    const cleared = await adam.write('PATCH', '/profile', { displayName: '', initials: null });
    expect(await cleared.json()).toMatchObject({ displayName: null, initials: null });
    // The audit names the fields, never their values.
    const audit = await readRows(app.db, 'auditLog', { action: 'agent.profile_changed' });
    expect(JSON.stringify(audit)).not.toContain('Adam S.');
  });

  it('RET-2: an agent chooses the dashboard language; sign-in and /me carry it, and null follows the browser again', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    expect(
      ((await (await adam.get('/me')).json()) as { agent: { language: unknown } }).agent.language,
    ).toBeNull();
    const chosen = await adam.write('PATCH', '/profile', { language: 'de' });
    expect(await chosen.json()).toMatchObject({ language: 'de' });
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({ language: 'de' });
    expect(await (await adam.get('/me')).json()).toMatchObject({ agent: { id: ADAM.id, language: 'de' } });
    // A new sign-in starts in the chosen language, on any device.
    const again = await signIn(app, ADAM.email);
    expect(await again.response.json()).toMatchObject({ agent: { language: 'de' } });
    // Only the languages the dashboard speaks; a refused change keeps the stored one.
    for (const language of ['fr', 'DE', 'de-DE', '', 7])
      expect((await adam.write('PATCH', '/profile', { language })).status).toBe(422);
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({ language: 'de' });
    expect(await (await adam.write('PATCH', '/profile', { language: null })).json()).toMatchObject({
      language: null,
    });
    // The team list shows colleagues, not their settings.
    const olivia = send(app, await signIn(app, OLIVIA.email));
    const team = (await (await olivia.get('/agents')).json()) as { agents: Array<Record<string, unknown>> };
    expect(team.agents.map((agent) => agent.email)).toContain(ADAM.email);
    expect(team.agents.filter((agent) => 'language' in agent)).toEqual([]);
  });

  it('RET-2: the profile refuses what is not a profile field, initials that are not letters, and an empty name', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    for (const body of [
      { role: 'owner' },
      { initials: 'A1' },
      { name: '  ' },
      { notifications: { x: true } },
    ])
      expect((await adam.write('PATCH', '/profile', body)).status).toBe(422);
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({ role: 'agent', name: 'Adam' });
  });

  it('RET-2, CHG-1: notification settings are refused while the policy version that declares them is only announced', async () => {
    const app = await createTestApp({ policy: policyAnnouncing('1.3.0', Date.now() + 86_400_000) });
    const adam = send(app, await signIn(app, ADAM.email));
    const refused = await adam.write('PATCH', '/profile', { notifications: { desktop: true } });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('notify desktop');
    expect((await adam.write('PATCH', '/profile', { name: 'Adam Smith' })).status).toBe(200);
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({
      name: 'Adam Smith',
      notifyDesktop: false,
    });
  });

  it('RET-2: without a sign-in or the CSRF token, nothing about the profile can be read or changed', async () => {
    const app = await createTestApp();
    expect((await app.request('/app/api/profile')).status).toBe(401);
    const session = await signIn(app, ADAM.email);
    const noToken = await app.request('/app/api/profile', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: session.cookie },
      body: JSON.stringify({ name: 'Mallory' }),
    });
    expect(noToken.status).toBe(403);
  });
});

describe('RET-2: changing the sign-in email', () => {
  it('RET-2: a new email is confirmed by a single-use link to it, with a notice to the old one each time', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    const asked = await adam.write('POST', '/profile/email', {
      email: ' Adam.Smith@Example.org ',
      password: FIXTURE_PASSWORD,
    });
    expect(asked.status).toBe(202);
    expect(await asked.json()).toMatchObject({ pendingEmail: 'adam.smith@example.org' });
    // Until it is confirmed, the old address stays the sign-in.
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({ email: ADAM.email });
    expect(await (await adam.get('/profile')).json()).toMatchObject({
      email: ADAM.email,
      pendingEmail: 'adam.smith@example.org',
    });
    const [notice] = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(notice).toMatchObject({ kind: 'account_security', accountId: FIXTURE.accounts.acme.id });
    expect(notice!.body).toContain('a***@example.org');
    expect(notice!.body).not.toContain('confirm-email/');
    const link = await readRow(app.db, 'personLinks', { agentId: ADAM.id });
    const token = await linkTokenIn(app, 'adam.smith@example.org', 'confirm-email');
    // Only the hash of the token is stored.
    expect(link.tokenHash).not.toBe(token);
    expect(JSON.stringify(link)).not.toContain(token);

    const confirmed = await publicPost(app, `/email-change/${token}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ email: 'adam.smith@example.org' });
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({
      email: 'adam.smith@example.org',
    });
    expect((await publicPost(app, `/email-change/${token}/confirm`)).status).toBe(404);
    const notices = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(notices.map((m) => m.subject)).toEqual([
      'A change of your Parley sign-in email was asked for',
      'Your Parley sign-in email has changed',
    ]);
    // The new address signs in; the old one no longer does.
    await signIn(app, 'adam.smith@example.org');
    await expect(signIn(app, ADAM.email)).rejects.toThrow('401');
  });

  it('RET-2: an address that belongs to another person gets the same answer, no link, and can never be confirmed', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    const asked = await adam.write('POST', '/profile/email', {
      email: FIXTURE.agents.globexOwner.email,
      password: FIXTURE_PASSWORD,
    });
    expect(asked.status).toBe(202);
    expect(await asked.json()).toMatchObject({ pendingEmail: FIXTURE.agents.globexOwner.email });
    const [mail] = await readRows(app.db, 'noticeOutbox', { toEmail: FIXTURE.agents.globexOwner.email });
    expect(mail!.subject).toBe('Your Parley sign-in email was not changed');
    expect(mail!.body).not.toMatch(/confirm-email\//);
    expect(await readRow(app.db, 'agents', { id: ADAM.id })).toMatchObject({ email: ADAM.email });
  });

  it('RET-2: a change of email needs the current password, and a real new address', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    const wrong = await adam.write('POST', '/profile/email', { email: 'x@example.org', password: 'not it' });
    expect(wrong.status).toBe(401);
    expect(await countRows(app.db, 'personLinks')).toBe(0);
    expect(await countRows(app.db, 'noticeOutbox', { kind: 'account_security' })).toBe(0);
    for (const email of ['not an address', ADAM.email.toUpperCase()])
      expect((await adam.write('POST', '/profile/email', { email, password: FIXTURE_PASSWORD })).status).toBe(
        422,
      );
    expect((await publicPost(app, '/email-change/short/confirm')).status).toBe(404);
  });
});

describe('RET-2: changing the password', () => {
  it('RET-2: a new password needs the current one and the length rule, and is stored as a scrypt hash', async () => {
    const app = await createTestApp();
    const adam = send(app, await signIn(app, ADAM.email));
    const wrong = await adam.write('POST', '/profile/password', {
      currentPassword: 'wrong',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    const short = await adam.write('POST', '/profile/password', {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(422);
    const changed = await adam.write('POST', '/profile/password', {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(200);
    const { passwordHash } = await readRow(app.db, 'agents', { id: ADAM.id });
    expect(passwordHash).toMatch(/^scrypt\$/);
    expect(await checkPassword(NEW_PASSWORD, passwordHash)).toBe(true);
    await signIn(app, ADAM.email, { password: NEW_PASSWORD });
    await expect(signIn(app, ADAM.email)).rejects.toThrow('401');
    const [mail] = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(mail!.subject).toBe('Your Parley password has changed');
  });

  it('RET-2: a password change ends the other sign-ins and closes their sockets, and keeps this one', async () => {
    const server = await startTestServer();
    servers.push(server);
    const laptop = await connectAgent(server, OLIVIA.email);
    const phone = await connectAgent(server, OLIVIA.email);
    const changed = await send(inProcessClient(server), laptop.session).write('POST', '/profile/password', {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(await changed.json()).toEqual({ sessionsEnded: 1 });
    expect(await phone.socket.closed).toMatchObject({ code: CLOSE_CODES.passwordChanged });
    expect((await send(inProcessClient(server), phone.session).get('/me')).status).toBe(401);
    expect((await send(inProcessClient(server), laptop.session).get('/me')).status).toBe(200);
    laptop.socket.send({ type: 'ping' });
    await laptop.socket.next('pong');
  });
});

describe('RET-2: one’s own sign-ins', () => {
  it('RET-2: a person lists their live sign-ins, marked "this session", without their ids', async () => {
    const app = await createTestApp();
    const first = await signIn(app, ADAM.email);
    const second = await signIn(app, ADAM.email);
    await signIn(app, OLIVIA.email);
    const listed = (await (await send(app, second).get('/sessions')).json()) as {
      sessions: Array<{ id: string; current: boolean; createdAt: string; expiresAt: string }>;
    };
    expect(listed.sessions).toHaveLength(2);
    expect(listed.sessions.filter((row) => row.current)).toHaveLength(1);
    const stored = await readRows(app.db, 'sessions', { userId: ADAM.id });
    for (const row of stored) expect(JSON.stringify(listed)).not.toContain(row.id);
    expect(first.cookie).not.toBe(second.cookie);
  });

  it('RET-2: ending one sign-in closes its sockets; ending the others keeps this one; another’s cannot be ended', async () => {
    const server = await startTestServer();
    servers.push(server);
    const laptop = await connectAgent(server, OLIVIA.email);
    const phone = await connectAgent(server, OLIVIA.email);
    const tablet = await connectAgent(server, OLIVIA.email);
    const adam = await signIn(inProcessClient(server), ADAM.email);
    const me = send(inProcessClient(server), laptop.session);
    const listed = (await (await me.get('/sessions')).json()) as {
      sessions: Array<{ id: string; current: boolean }>;
    };
    const others = listed.sessions.filter((row) => !row.current);
    expect(others).toHaveLength(2);
    expect(
      (await send(inProcessClient(server), adam).write('DELETE', `/sessions/${others[0]!.id}`)).status,
    ).toBe(404);
    expect(await (await me.write('DELETE', `/sessions/${others[0]!.id}`)).json()).toEqual({
      ended: 1,
      current: false,
    });
    const closedFirst = await Promise.race([phone.socket.closed, tablet.socket.closed]);
    expect(closedFirst.code).toBe(CLOSE_CODES.signedOut);
    expect(await (await me.write('POST', '/sessions/end-others')).json()).toEqual({ ended: 1 });
    expect((await phone.socket.closed).code).toBe(CLOSE_CODES.signedOut);
    expect((await tablet.socket.closed).code).toBe(CLOSE_CODES.signedOut);
    expect((await me.get('/me')).status).toBe(200);
    expect(await countRows(server.db, 'sessions', { userId: OLIVIA.id })).toBe(1);
  });
});

describe("RET-2: sign-in email mail in the agent's language", () => {
  it('RET-2: an agent whose profile says German gets the confirmation link and both notices in German', async () => {
    const app = await createTestApp();
    await updateRows(app.db, 'agents', { language: 'de' }, { id: ADAM.id });
    const session = await signIn(app, ADAM.email);
    const asked = await app.request('/app/api/profile/email', {
      method: 'POST',
      headers: { ...writeHeaders(session), 'accept-language': 'en-US,en' },
      body: JSON.stringify({ email: 'adam.smith@example.org', password: FIXTURE_PASSWORD }),
    });
    expect(asked.status).toBe(202);
    const confirmation = await readRow(app.db, 'noticeOutbox', { toEmail: 'adam.smith@example.org' });
    expect(confirmation.subject).toBe('Bestätigen Sie Ihre neue Anmelde-E-Mail-Adresse für Parley');
    expect(confirmation.body).toContain('Guten Tag Adam,');
    expect(confirmation.body).toContain('Er funktioniert einmal, 60 Minuten lang:');
    expect(confirmation.body).toContain('Bis Sie bestätigen, bleibt Ihre bisherige Adresse Ihre Anmeldung.');
    const token = await linkTokenIn(app, 'adam.smith@example.org', 'confirm-email');
    expect((await publicPost(app, `/email-change/${token}/confirm`)).status).toBe(200);
    const notices = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(notices.map((m) => m.subject)).toEqual([
      'Eine Änderung Ihrer Anmelde-E-Mail-Adresse für Parley wurde angefordert',
      'Ihre Anmelde-E-Mail-Adresse für Parley wurde geändert',
    ]);
    expect(notices[1]!.body).toContain('Ihre Anmelde-E-Mail-Adresse für Parley ist jetzt a***@example.org.');
  });
});
