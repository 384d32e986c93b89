import { FIXTURE } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, writeHeaders } from './testing/test-app.ts';

// SEC-1: an agent of one account can never read or change another account's data. Globex's owner tries every
// dashboard route against Acme's ids and must get what a non-existent id gets, and change nothing.

const acmeConversation = FIXTURE.conversations.benActive;
const acmeAgent = FIXTURE.agents.acmeAgent.id;

describe('SEC-1: tenant isolation on every dashboard route', () => {
  it.each([
    ['GET', `/app/api/conversations/${acmeConversation}`, undefined],
    ['DELETE', `/app/api/agents/${acmeAgent}`, undefined],
    ['POST', '/app/api/offline-messages/off_anna/handled', undefined],
  ])('SEC-1: %s %s answers 404 for another account’s id', async (method, path, body) => {
    const app = await createTestApp();
    const gina = await signIn(app, FIXTURE.agents.globexOwner.email);
    const response = await app.request(path, {
      method,
      headers: writeHeaders(gina),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it("SEC-1: lists and reads only the agent's own account", async () => {
    const app = await createTestApp();
    const gina = await signIn(app, FIXTURE.agents.globexOwner.email);
    const get = async (path: string) =>
      (await (await app.request(path, { headers: { cookie: gina.cookie } })).json()) as Record<
        string,
        unknown
      >;
    const conversations = (await get('/app/api/conversations')).conversations as Array<{ id: string }>;
    expect(conversations.map((c) => c.id)).toEqual([FIXTURE.conversations.gwenWaiting]);
    const agents = (await get('/app/api/agents')).agents as Array<{ id: string }>;
    expect(agents.map((a) => a.id)).toEqual([FIXTURE.agents.globexOwner.id]);
    expect(await get('/app/api/account')).toMatchObject({ id: FIXTURE.accounts.globex.id });
    const offline = (await get('/app/api/offline-messages?all=1')).offlineMessages as unknown[];
    expect(offline).toEqual([]);
  });

  it("SEC-1: changes made by one account's owner touch only that account", async () => {
    const app = await createTestApp();
    const gina = await signIn(app, FIXTURE.agents.globexOwner.email);
    await app.request('/app/api/account', {
      method: 'PATCH',
      headers: writeHeaders(gina),
      body: JSON.stringify({ organization: 'Globex Renamed' }),
    });
    await app.request('/app/api/api-key', { method: 'POST', headers: writeHeaders(gina) });
    const olivia = await signIn(app, FIXTURE.agents.acmeOwner.email);
    const acme = (await (
      await app.request('/app/api/account', { headers: { cookie: olivia.cookie } })
    ).json()) as {
      organization: string;
    };
    expect(acme.organization).toBe('Acme Gardening GmbH');
    const acmeKey = await app.request('/api/v1/conversations', {
      headers: { authorization: `Bearer ${FIXTURE.accounts.acme.apiKey}` },
    });
    expect(acmeKey.status).toBe(200);
    expect(
      (await app.request(`/app/api/agents/${acmeAgent}`, { headers: { cookie: olivia.cookie } })).status,
    ).toBe(404);
  });

  it("SEC-1: one account's API key reads nothing of another's", async () => {
    const app = await createTestApp();
    const response = await app.request('/api/v1/conversations', {
      headers: { authorization: `Bearer ${FIXTURE.accounts.initech.apiKey}` },
    });
    expect(((await response.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
