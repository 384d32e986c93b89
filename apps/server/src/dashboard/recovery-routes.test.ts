import { countRows, FIXTURE, readRow, readRows, updateRows } from '@parley/db/testing';
import { InMemoryMailLinkThrottle, MAIL_LINK_LIMITS } from '@parley/live';
import { ManualClock } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectAgent,
  createTestApp,
  inProcessClient,
  ORIGIN,
  signIn,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../testing/test-app.ts';
import { RESET_LINK_LIFETIME_MS } from './recovery-routes.ts';

// RET-2: a forgotten password is reset through a single-use, short-lived link mailed to the sign-in email.

const OLIVIA = FIXTURE.agents.acmeOwner;
const ADAM = FIXTURE.agents.acmeAgent;
const NEW_PASSWORD = 'a brand new passphrase';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const post = (app: Pick<TestApp, 'request'>, path: string, body: unknown, address?: string) =>
  app.request(`/app/api${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      ...(address ? { 'x-forwarded-for': address } : {}),
    },
    body: JSON.stringify(body),
  });

async function resetToken(app: Pick<TestApp, 'db'>, to: string): Promise<string> {
  const mail = await readRows(app.db, 'noticeOutbox', { toEmail: to, subject: 'Reset your Parley password' });
  const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(mail.at(-1)?.body ?? '')?.[1];
  if (!token) throw new Error(`no reset link was mailed to ${to}`);
  return token;
}

describe('RET-2: forgot password', () => {
  it('RET-2: the answer is the same whether or not the email signs in, and only a known one gets mail', async () => {
    const app = await createTestApp();
    const known = await post(app, '/password-reset', { email: ` ${ADAM.email.toUpperCase()} ` });
    const unknown = await post(app, '/password-reset', { email: 'nobody@example.org' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    expect(await countRows(app.db, 'noticeOutbox', { toEmail: 'nobody@example.org' })).toBe(0);
    const [mail] = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(mail).toMatchObject({ kind: 'account_security', subject: 'Reset your Parley password' });
    expect(mail!.body).toContain('30 minutes');
    const token = await resetToken(app, ADAM.email);
    expect(JSON.stringify(await readRows(app.db, 'personLinks'))).not.toContain(token);
  });

  it('RET-2: the link sets a new password once; the old password and the link stop working', async () => {
    const app = await createTestApp();
    await post(app, '/password-reset', { email: ADAM.email });
    const token = await resetToken(app, ADAM.email);
    expect(await (await app.request(`/app/api/password-reset/${token}`)).json()).toMatchObject({
      email: ADAM.email,
    });
    expect((await post(app, `/password-reset/${token}`, { password: 'short' })).status).toBe(422);
    const reset = await post(app, `/password-reset/${token}`, { password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    await signIn(app, ADAM.email, { password: NEW_PASSWORD });
    await expect(signIn(app, ADAM.email)).rejects.toThrow('401');
    expect((await post(app, `/password-reset/${token}`, { password: 'another new password' })).status).toBe(
      404,
    );
    expect((await app.request(`/app/api/password-reset/${token}`)).status).toBe(404);
    const subjects = (await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email })).map((m) => m.subject);
    expect(subjects).toEqual(['Reset your Parley password', 'Your Parley password has changed']);
  });

  it('RET-2: a link lasts 30 minutes, and a newer link replaces an older one', async () => {
    const clock = new ManualClock(Date.now());
    const app = await createTestApp({ clock });
    await post(app, '/password-reset', { email: ADAM.email });
    const older = await resetToken(app, ADAM.email);
    clock.advance(1_000);
    await post(app, '/password-reset', { email: ADAM.email });
    const newer = await resetToken(app, ADAM.email);
    expect(newer).not.toBe(older);
    expect((await app.request(`/app/api/password-reset/${older}`)).status).toBe(404);
    expect((await app.request(`/app/api/password-reset/${newer}`)).status).toBe(200);
    clock.advance(RESET_LINK_LIFETIME_MS);
    expect((await post(app, `/password-reset/${newer}`, { password: NEW_PASSWORD })).status).toBe(404);
  });

  it('RET-2: no link for a removed agent or a closed account', async () => {
    const app = await createTestApp();
    await updateRows(app.db, 'agents', { removedAt: Date.now() }, { id: ADAM.id });
    await updateRows(app.db, 'accounts', { closedAt: Date.now() }, { id: FIXTURE.accounts.globex.id });
    for (const email of [ADAM.email, FIXTURE.agents.globexOwner.email])
      expect((await post(app, '/password-reset', { email })).status).toBe(202);
    expect(await countRows(app.db, 'noticeOutbox', { kind: 'account_security' })).toBe(0);
    expect(await countRows(app.db, 'personLinks')).toBe(0);
  });

  it('RET-2: requests are limited per email and per network, known or not, by the shared throttle', async () => {
    const clock = new ManualClock(Date.now());
    const mailLinks = new InMemoryMailLinkThrottle({ now: () => clock.now() });
    const app = await createTestApp({ clock, mailLinks, config: { trustProxy: true } });
    for (let i = 0; i < MAIL_LINK_LIMITS.emailBurst; i++)
      expect((await post(app, '/password-reset', { email: ADAM.email }, `192.0.2.${i}`)).status).toBe(202);
    const limited = await post(app, '/password-reset', { email: ADAM.email }, '192.0.2.99');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await countRows(app.db, 'noticeOutbox', { toEmail: ADAM.email })).toBe(
      MAIL_LINK_LIMITS.emailBurst,
    );
    for (let i = 0; i < MAIL_LINK_LIMITS.addressBurst; i++)
      await post(app, '/password-reset', { email: `guess${i}@example.org` }, '203.0.113.7');
    const network = await post(app, '/password-reset', { email: OLIVIA.email }, '203.0.113.7');
    expect(network.status).toBe(429);
    expect(await countRows(app.db, 'noticeOutbox', { toEmail: OLIVIA.email })).toBe(0);
    clock.advance(MAIL_LINK_LIMITS.emailRefillMs);
    expect((await post(app, '/password-reset', { email: ADAM.email }, '192.0.2.98')).status).toBe(202);
  });

  it('RET-2: a reset ends every sign-in of that person and closes their sockets', async () => {
    const server = await startTestServer();
    servers.push(server);
    const client = inProcessClient(server);
    const laptop = await connectAgent(server, OLIVIA.email);
    const adam = await connectAgent(server, ADAM.email);
    await post(client, '/password-reset', { email: OLIVIA.email });
    const token = await resetToken(server, OLIVIA.email);
    expect((await post(client, `/password-reset/${token}`, { password: NEW_PASSWORD })).status).toBe(200);
    expect((await laptop.socket.closed).code).toBe(CLOSE_CODES.passwordChanged);
    expect(await countRows(server.db, 'sessions', { userId: OLIVIA.id })).toBe(0);
    adam.socket.send({ type: 'ping' });
    await adam.socket.next('pong');
    expect(await readRow(server.db, 'auditLog', { action: 'agent.password_reset' })).toMatchObject({
      actorId: OLIVIA.id,
    });
  });
});

describe("RET-2: password mail in the agent's language", () => {
  const postIn = (app: TestApp, acceptLanguage: string, path: string, body: unknown) =>
    app.request(`/app/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'accept-language': acceptLanguage },
      body: JSON.stringify(body),
    });

  it('RET-2: an agent whose profile says German gets the reset link and the change notice in German', async () => {
    const app = await createTestApp();
    await updateRows(app.db, 'agents', { language: 'de' }, { id: ADAM.id });
    // Asked from a sign-in page in English: the agent's own choice still wins.
    expect((await postIn(app, 'en-US,en', '/password-reset', { email: ADAM.email })).status).toBe(202);
    const [reset] = await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email });
    expect(reset!.subject).toBe('Setzen Sie Ihr Parley-Passwort zurück');
    expect(reset!.body).toContain('Guten Tag Adam,');
    expect(reset!.body).toContain('Er funktioniert einmal, 30 Minuten lang:');
    expect(reset!.body).not.toContain('minutes');
    const token = /reset-password\/([A-Za-z0-9_-]+)/.exec(reset!.body)?.[1];
    expect((await postIn(app, 'en', `/password-reset/${token}`, { password: NEW_PASSWORD })).status).toBe(
      200,
    );
    const subjects = (await readRows(app.db, 'noticeOutbox', { toEmail: ADAM.email })).map((m) => m.subject);
    expect(subjects).toEqual(['Setzen Sie Ihr Parley-Passwort zurück', 'Ihr Parley-Passwort wurde geändert']);
  });

  it('RET-2: without a chosen language the mail follows the sign-in page, German or English', async () => {
    const app = await createTestApp();
    await postIn(app, 'de-DE,de;q=0.9', '/password-reset', { email: ADAM.email });
    await postIn(app, 'en-GB,de;q=0.5', '/password-reset', { email: OLIVIA.email });
    expect(await readRow(app.db, 'noticeOutbox', { toEmail: ADAM.email })).toMatchObject({
      subject: 'Setzen Sie Ihr Parley-Passwort zurück',
    });
    const english = await readRow(app.db, 'noticeOutbox', { toEmail: OLIVIA.email });
    expect(english.subject).toBe('Reset your Parley password');
    expect(english.body).toContain('Hello Olivia,');
  });
});
