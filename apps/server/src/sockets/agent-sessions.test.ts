import { FIXTURE, readRow } from '@parley/db/testing';
import { PRESENCE_GRACE_MS } from '@parley/live';
import { ManualClock } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { endSessionsOf, SESSION_LIFETIME_MS } from '../auth/agent-session.ts';
import {
  addAgent,
  connectAgent,
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';

// Sessions end on time on open sockets, and presence follows sign-ins, not just sockets.

const ACME = FIXTURE.accounts.acme;
const OLIVIA = FIXTURE.agents.acmeOwner;
const ADMIN = { id: 'agt_acme_ada', email: 'ada@acme.test', name: 'Ada', role: 'admin' } as const;

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const clock = options.clock ?? new ManualClock();
  const server = await startTestServer({ ...options, clock });
  servers.push(server);
  return { server, clock: clock as ManualClock };
}

async function visitor(server: TestServer, chatId?: string) {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  socket.send({ type: 'hello', persistent: true, ...(chatId ? { chatId } : {}) });
  const welcome = await socket.next<{ agentsOnline: boolean }>('welcome');
  return { socket, welcome };
}

/** Every frame the server sent `socket` before it answered this ping: the socket's frames are in order. */
async function settled(socket: TestSocket): Promise<void> {
  socket.send({ type: 'ping' });
  await socket.next('pong');
}

const me = (server: TestServer, cookie: string) =>
  inProcessClient(server).request('/app/api/me', { headers: { cookie } });

describe('sessions end on time on open sockets', () => {
  it('SEC-1: an open agent socket closes with sessionExpired when its session ends, and hears no chat after', async () => {
    const { server, clock } = await start();
    const olivia = await connectAgent(server, OLIVIA.email);
    const { socket: ben } = await visitor(server, FIXTURE.visitors.ben.chatId);
    clock.advance(SESSION_LIFETIME_MS);
    ben.send({ type: 'send', key: 'key_after_expiry', text: 'are you still there?' });
    await ben.next('ack');
    expect((await olivia.socket.closed).code).toBe(CLOSE_CODES.sessionExpired);
    expect(olivia.socket.frames.filter((frame) => frame.type === 'message')).toEqual([]);
    expect((await me(server, olivia.session.cookie)).status).toBe(401);
  });

  it('SEC-1: an expired session takes the agent offline at once and hands their chats back to the queue', async () => {
    const { server, clock } = await start();
    await connectAgent(server, OLIVIA.email);
    const { socket: ben, welcome } = await visitor(server, FIXTURE.visitors.ben.chatId);
    expect(welcome.agentsOnline).toBe(true);
    clock.advance(SESSION_LIFETIME_MS);
    expect(await ben.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    expect(await ben.next('conversation')).toEqual({ type: 'conversation', status: 'waiting' });
  });

  it('SEC-1: ending every session of a person closes all their sockets with the reason, as a password change will', async () => {
    const { server } = await start();
    const laptop = await connectAgent(server, OLIVIA.email);
    const phone = await connectAgent(server, OLIVIA.email);
    const { socket: ben } = await visitor(server, FIXTURE.visitors.ben.chatId);
    await endSessionsOf(
      server.parley.services,
      { accountId: ACME.id, agentId: OLIVIA.id },
      'password_changed',
    );
    expect((await laptop.socket.closed).code).toBe(CLOSE_CODES.passwordChanged);
    expect((await phone.socket.closed).code).toBe(CLOSE_CODES.passwordChanged);
    expect((await me(server, laptop.session.cookie)).status).toBe(401);
    expect((await me(server, phone.session.cookie)).status).toBe(401);
    // Offline at once, without waiting for the grace period, and the chat she held waits for someone else.
    expect(await ben.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    expect(await ben.next('conversation')).toEqual({ type: 'conversation', status: 'waiting' });
  });

  it("RET-3: closing the account ends every agent's open dashboard with accountClosed and the visitors' widgets", async () => {
    const { server } = await start();
    const olivia = await connectAgent(server, OLIVIA.email);
    const adam = await connectAgent(server, FIXTURE.agents.acmeAgent.email);
    const { socket: ben } = await visitor(server, FIXTURE.visitors.ben.chatId);
    const closed = await inProcessClient(server).request('/app/api/account/close', {
      method: 'POST',
      headers: writeHeaders(olivia.session),
      body: JSON.stringify({ confirm: 'Acme Gardening GmbH' }),
    });
    expect(closed.status).toBe(200);
    expect((await olivia.socket.closed).code).toBe(CLOSE_CODES.accountClosed);
    expect((await adam.socket.closed).code).toBe(CLOSE_CODES.accountClosed);
    expect((await ben.closed).code).toBe(CLOSE_CODES.policy);
  });

  it('signing out closes only that sign-in; the agent stays online while another sign-in has the dashboard open', async () => {
    const { server } = await start();
    const laptop = await connectAgent(server, OLIVIA.email);
    const phone = await connectAgent(server, OLIVIA.email);
    const { socket: ben } = await visitor(server, FIXTURE.visitors.ben.chatId);
    await inProcessClient(server).request('/app/api/sign-out', {
      method: 'POST',
      headers: writeHeaders(laptop.session),
    });
    expect((await laptop.socket.closed).code).toBe(CLOSE_CODES.signedOut);
    await settled(phone.socket);
    await settled(ben);
    expect(ben.frames.filter((frame) => frame.type !== 'pong')).toEqual([]);
    expect((await me(server, phone.session.cookie)).status).toBe(200);
  });
});

describe('presence follows sign-ins', () => {
  it('signing out takes the agent offline at once: visitors, the Team view and the chats they held all show it', async () => {
    const { server } = await start();
    await addAgent(server.db, ADMIN);
    const ada = await signIn(inProcessClient(server), ADMIN.email);
    const olivia = await connectAgent(server, OLIVIA.email);
    const { socket: ben } = await visitor(server, FIXTURE.visitors.ben.chatId);
    const team = async () =>
      (
        (await (
          await inProcessClient(server).request('/app/api/agents', { headers: { cookie: ada.cookie } })
        ).json()) as { agents: Array<{ id: string; online: boolean }> }
      ).agents.find((agent) => agent.id === OLIVIA.id)?.online;
    expect(await team()).toBe(true);
    await inProcessClient(server).request('/app/api/sign-out', {
      method: 'POST',
      headers: writeHeaders(olivia.session),
    });
    expect(await ben.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
    expect(await ben.next('conversation')).toEqual({ type: 'conversation', status: 'waiting' });
    expect(await team()).toBe(false);
    const chat = await readRow(server.db, 'conversations', { id: FIXTURE.conversations.benActive });
    expect({ status: chat.status, agentId: chat.agentId }).toEqual({ status: 'waiting', agentId: null });
  });

  it('a dropped dashboard that reconnects within the grace period is never shown to visitors as away', async () => {
    const { server, clock } = await start();
    const first = await connectAgent(server, OLIVIA.email);
    const { socket: ben, welcome } = await visitor(server);
    expect(welcome.agentsOnline).toBe(true);
    first.socket.ws.terminate();
    await first.socket.closed;
    clock.advance(PRESENCE_GRACE_MS - 1);
    const again = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: first.session.cookie,
    });
    await again.next('snapshot');
    clock.advance(PRESENCE_GRACE_MS);
    await settled(ben);
    expect(ben.frames.filter((frame) => frame.type === 'presence')).toEqual([]);
  });

  it('a dropped dashboard that does not come back within the grace period goes offline', async () => {
    const { server, clock } = await start();
    const olivia = await connectAgent(server, OLIVIA.email);
    const { socket: ben } = await visitor(server);
    olivia.socket.ws.terminate();
    await olivia.socket.closed;
    await settled(ben);
    expect(ben.frames.filter((frame) => frame.type === 'presence')).toEqual([]);
    clock.advance(PRESENCE_GRACE_MS);
    expect(await ben.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
  });

  it('after a restart, visitors are not told "away" while signed-in agents reconnect within the grace period', async () => {
    const before = await start();
    const olivia = await connectAgent(before.server, OLIVIA.email);
    await before.server.close();
    servers.splice(servers.indexOf(before.server), 1);

    const after = await start({ db: before.server.db, secrets: before.server.parley.services.secrets });
    const { socket: ben, welcome } = await visitor(after.server);
    expect(welcome.agentsOnline).toBe(true);
    const back = new TestSocket(`${after.server.wsUrl}/ws/agent`, {
      origin: after.server.running.url,
      cookie: olivia.session.cookie,
    });
    await back.next('snapshot');
    after.clock.advance(PRESENCE_GRACE_MS);
    await settled(ben);
    expect(ben.frames.filter((frame) => frame.type === 'presence')).toEqual([]);
  });

  it('after a restart, agents who do not come back within the grace period are shown as away', async () => {
    const before = await start();
    await connectAgent(before.server, OLIVIA.email);
    await before.server.close();
    servers.splice(servers.indexOf(before.server), 1);

    const after = await start({ db: before.server.db, secrets: before.server.parley.services.secrets });
    const { socket: ben, welcome } = await visitor(after.server);
    expect(welcome.agentsOnline).toBe(true);
    after.clock.advance(PRESENCE_GRACE_MS);
    expect(await ben.next('presence')).toEqual({ type: 'presence', agentsOnline: false });
  });
});
