import { FIXTURE, readRow, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, policyAnnouncing, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;

describe('RET-2: account holders correct their own data', () => {
  it('RET-2: the owner reads and updates the account, and an emptied field is cleared', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const before = (await (
      await app.request('/app/api/account', { headers: { cookie: session.cookie } })
    ).json()) as Record<string, unknown>;
    expect(before).toMatchObject({
      organization: 'Acme Gardening GmbH',
      phone: '+49 30 1234567',
      hasApiKey: true,
    });
    expect(JSON.stringify(before)).not.toMatch(/api_?key_?hash/i);

    const response = await app.request('/app/api/account', {
      method: 'PATCH',
      headers: writeHeaders(session),
      body: JSON.stringify({
        organization: '  Acme Garden Supplies GmbH ',
        contactEmail: 'office@acme.test',
        phone: '',
        imHandle: null,
        preChatForm: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      organization: 'Acme Garden Supplies GmbH',
      contactEmail: 'office@acme.test',
      phone: null,
      imHandle: null,
      preChatForm: true,
      contactName: 'Olivia Owner',
    });
    const again = await (
      await app.request('/app/api/account', { headers: { cookie: session.cookie } })
    ).json();
    expect(again).toMatchObject({ organization: 'Acme Garden Supplies GmbH', phone: null });
    const [audit] = await readRows(app.db, 'auditLog', { action: 'account.updated' });
    expect(JSON.stringify(audit!.detail)).not.toContain('office@acme.test');
  });

  it.each([
    ['an invalid email', { contactEmail: 'not an email' }],
    ['an empty organisation', { organization: ' ' }],
    ['a field that cannot be changed here', { region: 'US' }],
    ['a phone number with letters', { phone: 'call me maybe' }],
    ['nothing at all', {}],
  ])('RET-2: refuses %s with 422', async (_title, body) => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/account', {
      method: 'PATCH',
      headers: writeHeaders(session),
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('RET-2: an agent who is neither owner nor admin can read but not change the account', async () => {
    const app = await createTestApp();
    const session = await signIn(app, agent.email);
    expect((await app.request('/app/api/account', { headers: { cookie: session.cookie } })).status).toBe(200);
    const response = await app.request('/app/api/account', {
      method: 'PATCH',
      headers: writeHeaders(session),
      body: JSON.stringify({ organization: 'Taken over' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('RET-2: the owner can export everything held about the account', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/account/export', { headers: { cookie: session.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const document = (await response.json()) as { account: { id: string } };
    expect(document.account.id).toBe(FIXTURE.accounts.acme.id);
  });
});

describe('CHG-1: data a version not yet in force adds', () => {
  it('CHG-1: an instant-messaging handle is refused while the version that declares it is announced, and taken once it applies', async () => {
    const DAY = 86_400_000;
    const patch = (
      app: Awaited<ReturnType<typeof createTestApp>>,
      session: Awaited<ReturnType<typeof signIn>>,
    ) =>
      app.request('/app/api/account', {
        method: 'PATCH',
        headers: writeHeaders(session),
        body: JSON.stringify({ imHandle: '@acme', phone: '+49 30 7654321' }),
      });

    const announced = await createTestApp({ policy: policyAnnouncing('1.2.0', Date.now() + 25 * DAY) });
    const refused = await patch(announced, await signIn(announced, owner.email));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      error: { code: 'invalid_input', message: expect.stringMatching(/version 1\.1\.0.*im handle/) },
    });
    const row = await readRow(announced.db, 'accounts', { id: FIXTURE.accounts.acme.id });
    expect(row.imHandle).not.toBe('@acme');
    expect(row.phone).not.toBe('+49 30 7654321');

    const inForce = await createTestApp({ policy: policyAnnouncing('1.2.0', Date.now() - 1) });
    const taken = await patch(inForce, await signIn(inForce, owner.email));
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ imHandle: '@acme' });
  });
});

describe('API keys', () => {
  it('the owner rotates the key: the new one works once shown, the old one stops', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const response = await app.request('/app/api/api-key', {
      method: 'POST',
      headers: writeHeaders(session),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { apiKey } = (await response.json()) as { apiKey: string };
    expect(apiKey).toMatch(/^sk_[A-Za-z0-9_-]{40,}$/);
    const { apiKeyHash } = await readRow(app.db, 'accounts', { id: FIXTURE.accounts.acme.id });
    expect(JSON.stringify({ apiKeyHash })).not.toContain(apiKey);
    const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
    expect((await app.request('/api/v1/conversations', bearer(apiKey))).status).toBe(200);
    expect((await app.request('/api/v1/conversations', bearer(FIXTURE.accounts.acme.apiKey))).status).toBe(
      401,
    );
  });

  it('only the owner may rotate it', async () => {
    const app = await createTestApp();
    const session = await signIn(app, agent.email);
    expect(
      (await app.request('/app/api/api-key', { method: 'POST', headers: writeHeaders(session) })).status,
    ).toBe(403);
  });
});
