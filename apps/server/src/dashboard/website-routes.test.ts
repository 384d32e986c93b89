import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, signIn, type TestApp, writeHeaders } from '../testing/test-app.ts';
import type { WebsiteInput } from './website-routes.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;

const shop: WebsiteInput = {
  name: 'Shop',
  origins: ['https://shop.acme.test/any/page'],
  color: '#AA3300',
  position: 'left',
  launcherLabel: 'Chat with us',
  greeting: 'Willkommen!',
  agentDisplay: 'initials',
  languages: ['de', 'en'],
  preChat: { name: 'optional', email: 'required' },
  hours: { timeZone: 'Europe/Berlin', days: { mon: { open: '09:00', close: '17:00' } } },
  transcripts: true,
  ratings: false,
  proactiveGreeting: { text: 'Fragen zum Tee?', after: 15, paths: ['/tee/*', ' /preise ', ''] },
};

interface WebsiteBody {
  id: string;
  publicKey: string;
  snippet: string;
  color: string;
  origins: string[];
}

async function send(app: TestApp, email: string, method: string, path: string, body?: unknown) {
  const session = await signIn(app, email);
  return app.request(`/app/api${path}`, {
    method,
    headers: writeHeaders(session),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('websites in the dashboard', () => {
  it('an owner adds a website, gets its snippet, changes it and deletes it; every step is audited', async () => {
    const app = await createTestApp();
    const created = await send(app, owner.email, 'POST', '/websites', shop);
    expect(created.status).toBe(201);
    const website = (await created.json()) as WebsiteBody;
    expect(website).toMatchObject({
      name: 'Shop',
      color: '#aa3300',
      origins: ['https://shop.acme.test'],
      preChat: { name: 'optional', email: 'required' },
      proactiveGreeting: { text: 'Fragen zum Tee?', after: 15, paths: ['/tee/*', '/preise'] },
    });
    expect(website.snippet).toBe(`<script src="${ORIGIN}/w/${website.publicKey}/widget.js" async></script>`);

    const changed = await send(app, owner.email, 'PUT', `/websites/${website.id}`, {
      ...shop,
      color: '#00aa00',
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as WebsiteBody).color).toBe('#00aa00');

    const listed = await send(app, owner.email, 'GET', '/websites');
    const { websites } = (await listed.json()) as { websites: WebsiteBody[] };
    expect(websites.map((w) => w.publicKey)).toEqual([website.publicKey]);

    // The account keeps at least one website.
    const last = await send(app, owner.email, 'DELETE', `/websites/${website.id}`);
    expect(last.status).toBe(409);
    const second = (await (
      await send(app, owner.email, 'POST', '/websites', { ...shop, name: 'Blog' })
    ).json()) as WebsiteBody;
    expect((await send(app, owner.email, 'DELETE', `/websites/${website.id}`)).status).toBe(204);
    expect(
      (await readRows(app.db, 'websites', { accountId: FIXTURE.accounts.acme.id })).map((w) => w.id),
    ).toEqual([second.id]);
    expect(
      (await readRows(app.db, 'auditLog', { accountId: FIXTURE.accounts.acme.id })).map((a) => a.action),
    ).toEqual(expect.arrayContaining(['website.created', 'website.updated', 'website.deleted']));
  });

  it('keeps every item of visitor context off until the owner turns it on, one by one', async () => {
    const app = await createTestApp();
    const created = (await (
      await send(app, owner.email, 'POST', '/websites', shop)
    ).json()) as WebsiteBody & {
      context: Record<string, boolean>;
    };
    const off = { pages: false, localTime: false, country: false, browser: false, history: false };
    expect(created.context).toEqual(off);
    const context = { ...off, pages: true, history: true };
    const changed = await send(app, owner.email, 'PUT', `/websites/${created.id}`, { ...shop, context });
    expect(((await changed.json()) as { context: unknown }).context).toEqual(context);
    const [row] = await readRows(app.db, 'websites', { id: created.id });
    expect(row).toMatchObject({ contextPages: true, contextHistory: true, contextCountry: false });
    const wrong = await send(app, owner.email, 'PUT', `/websites/${created.id}`, {
      ...shop,
      context: { ...context, ip: true },
    });
    expect(wrong.status).toBe(422);
  });

  it('takes images and PDF from visitors until the owner chooses the kinds of file, in a fixed order', async () => {
    const app = await createTestApp();
    const created = (await (
      await send(app, owner.email, 'POST', '/websites', shop)
    ).json()) as WebsiteBody & {
      fileKinds: string[];
    };
    expect(created.fileKinds).toEqual(['image', 'pdf']);
    const changed = await send(app, owner.email, 'PUT', `/websites/${created.id}`, {
      ...shop,
      fileKinds: ['text', 'image', 'text'],
    });
    expect(((await changed.json()) as { fileKinds: string[] }).fileKinds).toEqual(['image', 'text']);
    const none = await send(app, owner.email, 'PUT', `/websites/${created.id}`, { ...shop, fileKinds: [] });
    expect(((await none.json()) as { fileKinds: string[] }).fileKinds).toEqual([]);
    const [row] = await readRows(app.db, 'websites', { id: created.id });
    expect(row?.fileKinds).toEqual([]);
    const wrong = await send(app, owner.email, 'PUT', `/websites/${created.id}`, {
      ...shop,
      fileKinds: ['zip'],
    });
    expect(wrong.status).toBe(422);
  });

  it('answers bad settings with an error for each field, and stores nothing', async () => {
    const app = await createTestApp();
    const response = await send(app, owner.email, 'POST', '/websites', {
      ...shop,
      color: 'blue',
      origins: ['shop.acme.test'],
      hours: { timeZone: 'Nowhere/Town', days: { mon: { open: '17:00', close: '09:00' } } },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('invalid_input');
    expect(Object.keys(body.error.fields).sort()).toEqual(['color', 'hours.mon', 'hoursTimeZone', 'origins']);
    expect(await readRows(app.db, 'websites')).toEqual([]);
    const greeting = await send(app, owner.email, 'POST', '/websites', {
      ...shop,
      proactiveGreeting: { text: 'x'.repeat(141), after: 1.5, paths: ['pricing', '/ok'] },
    });
    const greetingErrors = ((await greeting.json()) as { error: { fields: Record<string, string> } }).error
      .fields;
    expect(greetingErrors).toEqual({
      proactiveText: 'The proactive greeting may have at most 140 characters.',
      proactiveAfter: 'The delay is a whole number of seconds from 0 to 600.',
      proactivePaths: '“pricing” is not a path: start it with /, at most 100 characters, without ? or #.',
    });
    expect(
      (
        await send(app, owner.email, 'POST', '/websites', {
          ...shop,
          proactiveGreeting: { text: 'Hallo', after: 5, paths: [] },
        })
      ).status,
    ).toBe(422);
    expect(await readRows(app.db, 'websites')).toEqual([]);
    expect(
      (await send(app, owner.email, 'POST', '/websites', { ...shop, languages: ['klingon'] })).status,
    ).toBe(422);
  });

  it('agents see the websites but cannot change them; another account’s website is not found', async () => {
    const app = await createTestApp();
    const website = (await (await send(app, owner.email, 'POST', '/websites', shop)).json()) as WebsiteBody;
    const seen = await send(app, agent.email, 'GET', '/websites');
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { websites: WebsiteBody[] }).websites).toHaveLength(1);
    expect((await send(app, agent.email, 'POST', '/websites', shop)).status).toBe(403);
    expect((await send(app, agent.email, 'PUT', `/websites/${website.id}`, shop)).status).toBe(403);
    expect((await send(app, agent.email, 'DELETE', `/websites/${website.id}`)).status).toBe(403);
    const globex = FIXTURE.agents.globexOwner.email;
    expect((await send(app, globex, 'PUT', `/websites/${website.id}`, shop)).status).toBe(404);
    expect((await send(app, globex, 'DELETE', `/websites/${website.id}`)).status).toBe(404);
  });

  it('refuses a change without the CSRF token', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/websites', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, cookie: session.cookie },
      body: JSON.stringify(shop),
    });
    expect(response.status).toBe(403);
  });
});
