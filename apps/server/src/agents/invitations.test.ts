import { FIXTURE, readRow, readRows, updateRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { cookiesFrom, createTestApp, ORIGIN, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;

async function invite(
  app: Awaited<ReturnType<typeof createTestApp>>,
  body = { email: 'Nora@Acme.test', name: 'Nora' },
) {
  const session = await signIn(app, owner.email);
  const response = await app.request('/app/api/invitations', {
    method: 'POST',
    headers: writeHeaders(session),
    body: JSON.stringify(body),
  });
  return { response, session };
}

const tokenOf = (link: string): string => link.split('/app/#/invite/')[1]!;

describe('COL-2: agents join through a one-time link', () => {
  it('COL-2: the owner invites by email and name; only a hash of the token is stored and the link is mailed', async () => {
    const app = await createTestApp();
    const { response } = await invite(app);
    expect(response.status).toBe(201);
    const { link } = (await response.json()) as { link: string };
    expect(link).toMatch(/^http:\/\/localhost\/app\/#\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(link);
    const row = await readRow(app.db, 'agentInvitations');
    expect(row).toMatchObject({
      email: 'nora@acme.test',
      name: 'Nora',
      accountId: FIXTURE.accounts.acme.id,
    });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt - row.createdAt).toBe(7 * 24 * 3600_000);
    const mail = await readRow(app.db, 'noticeOutbox', { kind: 'invitation' });
    expect(mail.toEmail).toBe('nora@acme.test');
    expect(mail.body).toContain(link);
  });

  it('COL-2: the link shows who invites, then sets a password, signs in, and works only once', async () => {
    const app = await createTestApp();
    const token = tokenOf(((await (await invite(app)).response.json()) as { link: string }).link);
    const details = await app.request(`/app/api/invitations/${token}`);
    expect(await details.json()).toEqual({
      email: 'nora@acme.test',
      name: 'Nora',
      organization: 'Acme Gardening GmbH',
    });

    const short = await app.request(`/app/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ password: 'too short' }),
    });
    expect(short.status).toBe(422);

    const accepted = await app.request(`/app/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ password: 'a long enough password' }),
    });
    expect(accepted.status).toBe(201);
    const body = (await accepted.json()) as { agent: { role: string; email: string }; csrfToken: string };
    expect(body.agent).toMatchObject({ role: 'agent', email: 'nora@acme.test' });
    const cookie = `parley_session=${cookiesFrom(accepted).parley_session}`;
    expect((await app.request('/app/api/me', { headers: { cookie } })).status).toBe(200);
    const stored = await readRow(app.db, 'agents', { email: 'nora@acme.test' });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);

    expect((await app.request(`/app/api/invitations/${token}`)).status).toBe(404);
    const again = await app.request(`/app/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ password: 'another long password' }),
    });
    expect(again.status).toBe(404);
    await expect(signIn(app, 'nora@acme.test', { password: 'a long enough password' })).resolves.toBeTruthy();
  });

  it('COL-2: an expired link does not work', async () => {
    const app = await createTestApp();
    const token = tokenOf(((await (await invite(app)).response.json()) as { link: string }).link);
    await updateRows(app.db, 'agentInvitations', { expiresAt: Date.now() - 1 });
    expect((await app.request(`/app/api/invitations/${token}`)).status).toBe(404);
  });

  it('refuses an address of the owner’s own team, and invitations by anyone but the owner', async () => {
    const app = await createTestApp();
    const taken = await invite(app, { email: FIXTURE.agents.acmeAgent.email, name: 'Adam again' });
    expect(taken.response.status).toBe(409);
    expect(await taken.response.json()).toEqual({
      error: { code: 'email_taken', message: 'This email address already belongs to an agent of your team.' },
    });
    const adam = await signIn(app, FIXTURE.agents.acmeAgent.email);
    const byAgent = await app.request('/app/api/invitations', {
      method: 'POST',
      headers: writeHeaders(adam),
      body: JSON.stringify({ email: 'x@acme.test', name: 'X' }),
    });
    expect(byAgent.status).toBe(403);
  });

  it('refuses an invitation posted from another site', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/invitations', {
      method: 'POST',
      headers: writeHeaders(session, { origin: 'https://evil.test' }),
      body: JSON.stringify({ email: 'x@acme.test', name: 'X' }),
    });
    expect(response.status).toBe(403);
  });
});

describe('SHR-1: inviting does not tell an owner who uses Parley in another account', () => {
  /** What the owner sees of an invitation, and what it leaves behind, with the token taken out. */
  async function inviteAndObserve(email: string) {
    const app = await createTestApp();
    await updateRows(app.db, 'agents', { removedAt: 1 }, { id: FIXTURE.agents.initechOwner.id });
    const { response } = await invite(app, { email, name: 'Nora' });
    const body = (await response.json()) as Record<string, string>;
    const token = body.link ? tokenOf(body.link) : 'none';
    const mail = (await readRows(app.db, 'noticeOutbox', { kind: 'invitation' })).map(
      ({ subject, body }) => ({
        subject,
        body,
      }),
    );
    const audit = (await readRows(app.db, 'auditLog'))
      .filter(({ action }) => action.startsWith('agent.'))
      .map(({ action }) => ({ action }));
    const details = await app.request(`/app/api/invitations/${token}`);
    const blank = (text: string) => text.replaceAll(token, '<token>').replaceAll(email, '<email>');
    return {
      app,
      token,
      seen: {
        status: response.status,
        keys: Object.keys(body).sort(),
        link: blank(body.link ?? ''),
        cacheControl: response.headers.get('cache-control'),
        mail: mail.map((m) => ({ subject: m.subject, body: blank(m.body) })),
        audit,
        details: { status: details.status, body: blank(await details.text()) },
      },
    };
  }

  it('SHR-1: POST /app/api/invitations answers the same for a free address and one held in another account', async () => {
    const free = await inviteAndObserve('nora@acme.test');
    expect(free.seen).toMatchObject({
      status: 201,
      keys: ['expiresAt', 'link'],
      audit: [{ action: 'agent.invited' }],
    });
    expect(free.seen.mail).toHaveLength(1);
    for (const heldElsewhere of [FIXTURE.agents.globexOwner.email, FIXTURE.agents.initechOwner.email])
      expect((await inviteAndObserve(heldElsewhere)).seen).toEqual(free.seen);
  });

  it('SHR-1: the invitee of an address in use elsewhere learns at acceptance, and how to sign in instead', async () => {
    const gina = FIXTURE.agents.globexOwner;
    const { app, token } = await inviteAndObserve(gina.email);
    const before = await readRow(app.db, 'agents', { id: gina.id });
    const accepted = await app.request(`/app/api/invitations/${token}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ password: 'a long enough password' }),
    });
    expect(accepted.status).toBe(409);
    expect(await accepted.json()).toEqual({
      error: {
        code: 'email_taken',
        message:
          'This email address already has a Parley sign-in, and one address can belong to one team only. Sign in ' +
          'with it and its password instead, or ask the person who invited you to invite another address.',
      },
    });
    expect(accepted.headers.getSetCookie()).toEqual([]);
    expect(await readRow(app.db, 'agents', { id: gina.id })).toEqual(before);
    await expect(signIn(app, gina.email)).resolves.toBeTruthy();
  });
});

describe("COL-2: the invitation speaks the inviter's dashboard language", () => {
  const inviteFrom = async (app: Awaited<ReturnType<typeof createTestApp>>, acceptLanguage: string) => {
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/invitations', {
      method: 'POST',
      headers: { ...writeHeaders(session), 'accept-language': acceptLanguage },
      body: JSON.stringify({ email: 'nora@acme.test', name: 'Nora' }),
    });
    expect(response.status).toBe(201);
    const { link, expiresAt } = (await response.json()) as { link: string; expiresAt: string };
    return {
      link,
      expires: new Date(expiresAt),
      mail: await readRow(app.db, 'noticeOutbox', { kind: 'invitation' }),
    };
  };

  const cases = [
    {
      dashboard: 'German',
      acceptLanguage: 'de',
      subject: 'Olivia lädt Sie ein, Chats für Acme Gardening GmbH zu beantworten',
      greeting: 'Guten Tag Nora,',
      other: 'Hello',
      until: (day: number, month: string, year: number) => `sieben Tage lang, bis ${day}. ${month} ${year}`,
      locale: 'de-DE',
    },
    {
      dashboard: 'English',
      acceptLanguage: 'en-GB,de;q=0.8',
      subject: 'Olivia invites you to answer chats for Acme Gardening GmbH',
      greeting: 'Hello Nora,',
      other: 'Guten Tag',
      until: (day: number, month: string, year: number) => `for seven days, until ${day} ${month} ${year}`,
      locale: 'en-GB',
    },
  ];

  it.each(cases)(
    'COL-2: an invitation sent from a $dashboard dashboard is in its language, end date included',
    async (language) => {
      const app = await createTestApp();
      const { link, expires, mail } = await inviteFrom(app, language.acceptLanguage);
      expect(mail.subject).toBe(language.subject);
      expect(mail.body).toContain(language.greeting);
      expect(mail.body).toContain(link);
      const month = new Intl.DateTimeFormat(language.locale, { month: 'long', timeZone: 'UTC' }).format(
        expires,
      );
      expect(mail.body).toContain(language.until(expires.getUTCDate(), month, expires.getUTCFullYear()));
      expect(mail.body).not.toContain(language.other);
    },
  );
});
