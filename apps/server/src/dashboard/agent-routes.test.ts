import { FIXTURE } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const adam = FIXTURE.agents.acmeAgent;

describe('agents', () => {
  it("lists the account's own agents, owner first, without password hashes", async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const body = (await (
      await app.request('/app/api/agents', { headers: { cookie: session.cookie } })
    ).json()) as {
      agents: Array<{ id: string; role: string }>;
    };
    expect(body.agents.map((a) => a.id)).toEqual([owner.id, adam.id]);
    expect(JSON.stringify(body)).not.toContain('scrypt');
  });

  it('the owner removes an agent: they are signed out at once and their chats go back to the queue', async () => {
    const app = await createTestApp();
    const ownerSession = await signIn(app, owner.email);
    const adamSession = await signIn(app, adam.email);
    const response = await app.request(`/app/api/agents/${adam.id}`, {
      method: 'DELETE',
      headers: writeHeaders(ownerSession),
    });
    expect(response.status).toBe(200);
    expect((await app.request('/app/api/me', { headers: { cookie: adamSession.cookie } })).status).toBe(401);
    const list = (await (
      await app.request('/app/api/agents', { headers: { cookie: ownerSession.cookie } })
    ).json()) as {
      agents: Array<{ id: string }>;
    };
    expect(list.agents.map((a) => a.id)).toEqual([owner.id]);
    const signInAgain = await app.request('/app/api/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ email: adam.email, password: 'correct horse battery staple' }),
    });
    expect(signInAgain.status).toBe(401);
  });

  it('an owner cannot remove themselves, and an agent cannot remove anyone', async () => {
    const app = await createTestApp();
    const ownerSession = await signIn(app, owner.email);
    const self = await app.request(`/app/api/agents/${owner.id}`, {
      method: 'DELETE',
      headers: writeHeaders(ownerSession),
    });
    expect(self.status).toBe(409);
    const adamSession = await signIn(app, adam.email);
    const byAgent = await app.request(`/app/api/agents/${owner.id}`, {
      method: 'DELETE',
      headers: writeHeaders(adamSession),
    });
    expect(byAgent.status).toBe(403);
  });
});
