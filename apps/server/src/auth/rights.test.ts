import type { AgentRole } from '@parley/db/chat';
import { FIXTURE, updateRows } from '@parley/db/testing';
import { AgentFrame, VisitorFrame } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectAgent,
  createTestApp,
  inProcessClient,
  ORIGIN,
  type SignedIn,
  signIn,
  startTestServer,
  type TestApp,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';
import {
  type Access,
  AGENT_FRAME_ACCESS,
  grants,
  ROLE_RIGHTS,
  ROUTE_ACCESS,
  VISITOR_FRAME_ACCESS,
} from './rights.ts';

// The rights table against what the server really registers: every route under /app/api and /api, every frame type
// of the protocol, and for each, that a role without the right is refused and a role with it is not.

const ACME = FIXTURE.accounts.acme;
const C = FIXTURE.conversations;
const MEMBERS: Record<AgentRole, { id: string; email: string }> = {
  owner: FIXTURE.agents.acmeOwner,
  admin: { id: 'agt_acme_ada', email: 'ada@acme.test' },
  agent: FIXTURE.agents.acmeAgent,
};

async function withAdmin(app: Pick<TestApp, 'db'>): Promise<void> {
  await addAgent(app.db, { ...MEMBERS.admin, name: 'Ada', role: 'admin' });
}

/** `METHOD /path` of every route the app registers under the two APIs, middleware included, once each. */
function registeredRoutes(app: TestApp): string[] {
  const keys = app.parley.app.routes
    .filter((route) => route.path.startsWith('/app/api') || route.path.startsWith('/api'))
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(keys)].sort();
}

/** A request that reaches the route: parameters filled in, `ALL` as GET, an empty JSON body for writes. */
function requestFor(route: string, session: SignedIn | null, extra: Record<string, string> = {}) {
  const [method = 'GET', pattern = '/'] = route.split(' ');
  const path = pattern.replace(/:[a-z]+/gi, 'x_unknown').replace('*', 'nothing-here');
  const verb = method === 'ALL' ? 'GET' : method;
  const write = verb !== 'GET';
  const headers: Record<string, string> = session
    ? write
      ? writeHeaders(session, extra)
      : { cookie: session.cookie, ...extra }
    : { origin: ORIGIN, 'content-type': 'application/json', ...extra };
  return { path, init: { method: verb, headers, ...(write ? { body: '{}' } : {}) } };
}

const DENIED = [401, 403];

describe('the rights table covers everything the server exposes', () => {
  it('SEC-1: every route under /app/api and /api has an entry, and every entry is a registered route', async () => {
    const app = await createTestApp();
    const registered = registeredRoutes(app);
    expect(registered.filter((route) => !(route in ROUTE_ACCESS))).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((route) => !registered.includes(route))).toEqual([]);
  });

  it('SEC-1: every frame type a client can send has an entry', () => {
    const types = (union: { options: ReadonlyArray<{ shape: { type: { value: string } } }> }) =>
      union.options.map((option) => option.shape.type.value).sort();
    expect(types(AgentFrame)).toEqual(Object.keys(AGENT_FRAME_ACCESS).sort());
    expect(types(VisitorFrame)).toEqual(Object.keys(VISITOR_FRAME_ACCESS).sort());
  });

  it('gives an admin every right but the owner’s own decisions, and an agent only chat', () => {
    expect([...ROLE_RIGHTS.admin].sort()).toEqual(
      [...ROLE_RIGHTS.owner].filter((right) => right !== 'ownership').sort(),
    );
    expect([...ROLE_RIGHTS.agent]).toEqual(['chat']);
  });
});

describe('every route enforces its entry', () => {
  it('SEC-1: each role is refused exactly the routes whose right it lacks; public and API-key routes answer as such', async () => {
    // Sign-up open, so that its public route answers the walk's empty body rather than saying sign-up is closed.
    const app = await createTestApp({ config: { signup: 'open' } });
    await withAdmin(app);
    const sessions = {} as Record<AgentRole, SignedIn>;
    for (const role of Object.keys(MEMBERS) as AgentRole[])
      sessions[role] = await signIn(app, MEMBERS[role].email);
    const outcomes: Array<{ route: string; who: string; status: number; allowed: boolean }> = [];
    const check = async (
      route: string,
      who: string,
      allowed: boolean,
      session: SignedIn | null,
      extra = {},
    ) => {
      const { path, init } = requestFor(route, session, extra);
      const status = (await app.request(path, init)).status;
      outcomes.push({ route, who, status, allowed });
    };
    for (const route of registeredRoutes(app)) {
      const access: Access | undefined = ROUTE_ACCESS[route];
      if (access === 'public') await check(route, 'nobody', true, null);
      else if (access === 'api_key') {
        await check(route, 'no key', false, null);
        await check(route, 'the API key', true, null, { authorization: `Bearer ${ACME.apiKey}` });
      } else if (access !== undefined) {
        await check(route, 'nobody', false, null);
        for (const role of Object.keys(MEMBERS) as AgentRole[])
          await check(route, role, grants(role, access), sessions[role]);
      }
    }
    const wrong = outcomes.filter(({ status, allowed }) => DENIED.includes(status) === allowed);
    expect(wrong).toEqual([]);
    // The walk reached every route, and refused something: it is not vacuous.
    expect(new Set(outcomes.map((o) => o.route)).size).toBe(Object.keys(ROUTE_ACCESS).length);
    expect(outcomes.some((o) => o.who === 'agent' && o.status === 403)).toBe(true);
  });
});

describe('an agent reads only the chats they hold or held, and waiting ones', () => {
  const get = (app: TestApp, session: SignedIn, path: string) =>
    app.request(path, { headers: { cookie: session.cookie } });

  it('SEC-1: the history lists another agent’s closed chats to owners and admins only', async () => {
    const app = await createTestApp();
    await withAdmin(app);
    const ids = async (email: string) => {
      const body = (await (
        await get(app, await signIn(app, email), '/app/api/conversations?status=closed,active,waiting')
      ).json()) as { conversations: Array<{ id: string }> };
      return body.conversations.map((c) => c.id).sort();
    };
    const everything = [C.annaClosed, C.benActive, C.gpcWaiting].sort();
    expect(await ids(MEMBERS.owner.email)).toEqual(everything);
    expect(await ids(MEMBERS.admin.email)).toEqual(everything);
    expect(await ids(MEMBERS.agent.email)).toEqual([C.gpcWaiting]);
  });

  it('SEC-1: one conversation is refused to an agent who never handled it, and shown once they did', async () => {
    const app = await createTestApp();
    await withAdmin(app);
    const adam = await signIn(app, MEMBERS.agent.email);
    expect((await get(app, adam, `/app/api/conversations/${C.annaClosed}`)).status).toBe(403);
    expect((await get(app, adam, `/app/api/conversations/${C.gpcWaiting}`)).status).toBe(200);
    const ada = await signIn(app, MEMBERS.admin.email);
    expect((await get(app, ada, `/app/api/conversations/${C.annaClosed}`)).status).toBe(200);
    await updateRows(app.db, 'conversations', { agentId: MEMBERS.agent.id }, { id: C.annaClosed });
    expect((await get(app, adam, `/app/api/conversations/${C.annaClosed}`)).status).toBe(200);
  });

  it('SEC-1: an agent cannot read the team’s email addresses; an admin can', async () => {
    const app = await createTestApp();
    await withAdmin(app);
    const adam = await signIn(app, MEMBERS.agent.email);
    const refused = await get(app, adam, '/app/api/agents');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('@acme.test');
    expect((await get(app, await signIn(app, MEMBERS.admin.email), '/app/api/agents')).status).toBe(200);
  });
});

describe('every agent frame enforces its entry', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  /** One frame of each type, naming Olivia's active chat with Ben where the frame names a conversation. */
  const EXAMPLES: { [T in AgentFrame['type']]: Extract<AgentFrame, { type: T }> } = {
    ping: { type: 'ping' },
    status: { type: 'status', online: true },
    open: { type: 'open', conversationId: C.benActive },
    send: { type: 'send', key: 'key_rights_check', conversationId: C.benActive, text: 'hello' },
    typing: { type: 'typing', conversationId: C.benActive, typing: true },
    seen: { type: 'seen', conversationId: C.benActive, id: 'msg_ben_1' },
    close: { type: 'close', conversationId: C.benActive },
    note: { type: 'note', key: 'key_rights_note', conversationId: C.benActive, text: 'a note' },
    transfer: { type: 'transfer', conversationId: C.benActive, to: { agentId: FIXTURE.agents.acmeOwner.id } },
  };

  async function answerTo(server: TestServer, role: AgentRole, frame: AgentFrame) {
    const { socket } = await connectAgent(server, MEMBERS[role].email);
    socket.send(frame);
    // Frames are handled in order: once the ping is answered, the frame before it has been.
    socket.send({ type: 'ping' });
    await socket.next('pong');
    socket.close();
    return socket.frames.find((f) => f.type === 'error') as { code: string } | undefined;
  }

  it('SEC-1: a frame about another agent’s chat is refused to an agent, and not to an admin', async () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(AGENT_FRAME_ACCESS).sort());
    for (const [type, frame] of Object.entries(EXAMPLES) as Array<[AgentFrame['type'], AgentFrame]>) {
      for (const role of ['admin', 'agent'] as const) {
        const server = await startTestServer();
        servers.push(server);
        await withAdmin(server);
        const error = await answerTo(server, role, frame);
        const refused = error?.code === 'forbidden';
        const mayUseFrame = grants(role, AGENT_FRAME_ACCESS[type]);
        const namesOthersChat = 'conversationId' in frame;
        expect({ type, role, refused }).toEqual({
          type,
          role,
          refused: !mayUseFrame || (namesOthersChat && role === 'agent'),
        });
      }
    }
    // A server for each frame type and role, one after another: the limit grows with the protocol.
  }, 90_000);

  it('SEC-1: an agent’s socket carries waiting chats and their own, never another agent’s messages', async () => {
    const server = await startTestServer();
    servers.push(server);
    const adam = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: (await signIn(inProcessClient(server), MEMBERS.agent.email)).cookie,
    });
    const snapshot = await adam.next<{ conversations: Array<{ id: string }> }>('snapshot');
    expect(snapshot.conversations.map((c) => c.id)).toEqual([C.gpcWaiting]);
    const olivia = await connectAgent(server, MEMBERS.owner.email);
    const ben = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
    ben.send({ type: 'hello', persistent: true, chatId: FIXTURE.visitors.ben.chatId });
    await ben.next('welcome');
    ben.send({ type: 'send', key: 'key_for_olivia_only', text: 'my order number is 1234' });
    await olivia.socket.next('message');
    // A new visitor's chat waits for whoever takes it, so every agent hears it.
    const newcomer = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
    newcomer.send({ type: 'hello', persistent: false });
    await newcomer.next('welcome');
    newcomer.send({ type: 'send', key: 'key_for_everyone', text: 'anyone there?' });
    const heard = await adam.next<{ message: { conversationId: string; text: string } }>('message');
    expect(heard.message).toMatchObject({ text: 'anyone there?' });
    expect(heard.message.conversationId).not.toBe(C.benActive);
    adam.send({ type: 'ping' });
    await adam.next('pong');
    expect(JSON.stringify(adam.frames)).not.toContain('1234');
    expect(JSON.stringify(adam.frames)).not.toContain(C.benActive);
  });
});
