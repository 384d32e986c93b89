import { FIXTURE } from '@parley/db/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  createTestApp,
  inProcessClient,
  signIn,
  startTestServer,
  writeHeaders,
} from '../testing/test-app.ts';

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

  it('an admin makes an agent an admin: their open dashboard reconnects and the new rights apply at once', async () => {
    const server = await startTestServer();
    try {
      await addAgent(server.db, { id: 'agt_acme_ada', email: 'ada@acme.test', name: 'Ada', role: 'admin' });
      const ada = await signIn(inProcessClient(server), 'ada@acme.test');
      const adamLive = await connectAgent(server, adam.email);
      const teamAsAdam = () =>
        server.parley.app.request('/app/api/agents', { headers: { cookie: adamLive.session.cookie } });
      expect((await teamAsAdam()).status).toBe(403);
      const changed = await server.parley.app.request(`/app/api/agents/${adam.id}`, {
        method: 'PATCH',
        headers: writeHeaders(ada),
        body: JSON.stringify({ role: 'admin' }),
      });
      expect(changed.status).toBe(200);
      expect((await adamLive.socket.closed).code).toBe(CLOSE_CODES.rightsChanged);
      expect((await teamAsAdam()).status).toBe(200);
      const ownerChange = await server.parley.app.request(`/app/api/agents/${owner.id}`, {
        method: 'PATCH',
        headers: writeHeaders(ada),
        body: JSON.stringify({ role: 'agent' }),
      });
      expect(ownerChange.status).toBe(403);
      const toOwner = await server.parley.app.request(`/app/api/agents/${adam.id}`, {
        method: 'PATCH',
        headers: writeHeaders(ada),
        body: JSON.stringify({ role: 'owner' }),
      });
      expect(toOwner.status).toBe(422);
    } finally {
      await server.close();
    }
  });
});
