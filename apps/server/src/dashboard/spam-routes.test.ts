import { FIXTURE, readRow, readRows } from '@parley/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  createTestApp,
  inProcessClient,
  type SignedIn,
  signIn,
  startTestServer,
  type TestApp,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';

const C = FIXTURE.conversations;
const { acmeOwner, acmeAgent, globexOwner } = FIXTURE.agents;

type Client = Pick<TestApp, 'request'>;

const report = (app: Client, session: SignedIn, conversationId: string) =>
  app.request(`/app/api/conversations/${conversationId}/spam`, {
    method: 'POST',
    headers: writeHeaders(session),
  });
const takeBack = (app: Client, session: SignedIn, conversationId: string) =>
  app.request(`/app/api/conversations/${conversationId}/spam`, {
    method: 'DELETE',
    headers: writeHeaders(session),
  });

async function history(app: Client, session: SignedIn, query = ''): Promise<Array<Record<string, unknown>>> {
  const response = await app.request(`/app/api/conversations${query}`, {
    headers: { cookie: session.cookie },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { conversations: Array<Record<string, unknown>> }).conversations;
}
const ids = (list: Array<Record<string, unknown>>) => list.map((c) => c.id);

describe('SEC-1: reporting a conversation as spam', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('closes the chat, drops it from every agent’s inbox and the history, and lists it under spam', async () => {
    server = await startTestServer();
    const client = inProcessClient(server);
    const owner = await connectAgent(server, acmeOwner.email);
    const adam = await connectAgent(server, acmeAgent.email);
    const response = await report(client, adam.session, C.gpcWaiting);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ spam: true, closed: true });
    for (const socket of [owner.socket, adam.socket]) {
      const frame = await socket.next<{ conversation: Record<string, unknown> }>(
        'conversation',
        (f) => (f.conversation as { id: string }).id === C.gpcWaiting,
      );
      expect(frame.conversation).toMatchObject({ status: 'closed', spam: true });
    }
    expect(await readRow(server.db, 'conversations', { id: C.gpcWaiting })).toMatchObject({
      status: 'closed',
      spamReportedBy: acmeAgent.id,
    });
    expect(await readRows(server.db, 'auditLog', { action: 'conversation.spam_reported' })).toHaveLength(1);

    expect(ids(await history(client, owner.session))).not.toContain(C.gpcWaiting);
    const spam = await history(client, owner.session, '?spam=1');
    expect(spam).toMatchObject([{ id: C.gpcWaiting, spam: true, spamReportedBy: acmeAgent.id }]);
    // The reporter, a plain agent, finds the closed chat they no longer hold under spam, and opens it.
    expect(ids(await history(client, adam.session, '?spam=1'))).toEqual([C.gpcWaiting]);
    const opened = await client.request(`/app/api/conversations/${C.gpcWaiting}`, {
      headers: { cookie: adam.session.cookie },
    });
    expect(opened.status).toBe(200);
    // A fresh dashboard's snapshot has no spam in it.
    const fresh = await signIn(client, acmeOwner.email);
    const socket = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: fresh.cookie,
    });
    const snapshot = await socket.next<{ conversations: Array<Record<string, unknown>> }>('snapshot');
    expect(ids(snapshot.conversations)).toEqual([C.benActive]);
    socket.close();
  });

  it('answers conflict for a second report and not found for another account’s conversation', async () => {
    const app = await createTestApp();
    const owner = await signIn(app, acmeOwner.email);
    expect((await report(app, owner, C.annaClosed)).status).toBe(200);
    expect((await report(app, owner, C.annaClosed)).status).toBe(409);
    const gina = await signIn(app, globexOwner.email);
    expect((await report(app, gina, C.benActive)).status).toBe(404);
    expect((await takeBack(app, gina, C.annaClosed)).status).toBe(404);
    expect(await readRow(app.db, 'conversations', { id: C.benActive })).toMatchObject({ spamAt: null });
    expect(ids(await history(app, gina, '?spam=1'))).toEqual([]);
  });

  it('lets an agent report only the chats they may see', async () => {
    const app = await createTestApp();
    const adam = await signIn(app, acmeAgent.email);
    // Ben's chat is the owner's.
    expect((await report(app, adam, C.benActive)).status).toBe(403);
    expect(await readRow(app.db, 'conversations', { id: C.benActive })).toMatchObject({ spamAt: null });
  });

  it('lets owners, admins and the reporter take a report back, and no other agent', async () => {
    const app = await createTestApp();
    await addAgent(app.db, { id: 'agt_acme_cleo', email: 'cleo@acme.test', name: 'Cleo', role: 'agent' });
    await addAgent(app.db, { id: 'agt_acme_alma', email: 'alma@acme.test', name: 'Alma', role: 'admin' });
    const adam = await signIn(app, acmeAgent.email);
    const cleo = await signIn(app, 'cleo@acme.test');
    const alma = await signIn(app, 'alma@acme.test');
    const owner = await signIn(app, acmeOwner.email);

    expect((await report(app, adam, C.gpcWaiting)).status).toBe(200);
    expect((await takeBack(app, cleo, C.gpcWaiting)).status).toBe(403);
    expect((await takeBack(app, adam, C.gpcWaiting)).status).toBe(204);
    expect((await takeBack(app, adam, C.gpcWaiting)).status).toBe(404);
    expect(ids(await history(app, owner))).toContain(C.gpcWaiting);
    expect(await readRow(app.db, 'conversations', { id: C.gpcWaiting })).toMatchObject({ status: 'closed' });

    expect((await report(app, owner, C.benActive)).status).toBe(200);
    expect((await takeBack(app, alma, C.benActive)).status).toBe(204);
    expect((await report(app, owner, C.annaClosed)).status).toBe(200);
    expect((await takeBack(app, owner, C.annaClosed)).status).toBe(204);
    expect(await readRows(app.db, 'auditLog', { action: 'conversation.spam_cleared' })).toHaveLength(3);
  });

  it('refuses a report without the CSRF token or from another origin', async () => {
    const app = await createTestApp();
    const owner = await signIn(app, acmeOwner.email);
    const noToken = await app.request(`/app/api/conversations/${C.annaClosed}/spam`, {
      method: 'POST',
      headers: writeHeaders(owner, { 'x-parley-csrf': 'wrong' }),
    });
    expect(noToken.status).toBe(403);
    const crossOrigin = await app.request(`/app/api/conversations/${C.annaClosed}/spam`, {
      method: 'DELETE',
      headers: writeHeaders(owner, { origin: 'https://evil.test' }),
    });
    expect(crossOrigin.status).toBe(403);
    expect(await readRow(app.db, 'conversations', { id: C.annaClosed })).toMatchObject({ spamAt: null });
  });

  it('rejects a spam filter that is not 0 or 1', async () => {
    const app = await createTestApp();
    const owner = await signIn(app, acmeOwner.email);
    const response = await app.request('/app/api/conversations?spam=yes', {
      headers: { cookie: owner.cookie },
    });
    expect(response.status).toBe(422);
  });
});
