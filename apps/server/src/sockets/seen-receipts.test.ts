import { FIXTURE, readRow } from '@parley/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectAgent,
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
} from '../testing/test-app.ts';

const ACME = FIXTURE.accounts.acme;
const BEN = FIXTURE.visitors.ben;
const C = FIXTURE.conversations;
/** Ben's active chat with Olivia: his question, then her answer. */
const BEN_ASKS = 'msg_ben_1';
const OLIVIA_ANSWERS = 'msg_ben_2';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const olivia = async (): Promise<TestSocket> =>
  (await connectAgent(server, FIXTURE.agents.acmeOwner.email)).socket;

async function ben() {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  socket.send({ type: 'hello', persistent: true, chatId: BEN.chatId });
  const welcome = await socket.next<{ conversation: { id: string; seen?: unknown } | null }>('welcome');
  return { socket, welcome };
}

/** Waits until the socket has handled every frame sent before: frames are handled in order. */
async function settled(socket: TestSocket): Promise<void> {
  socket.send({ type: 'ping' });
  await socket.next('pong');
}

describe('seen receipts', () => {
  it('tells each side what the other has seen, and keeps it with the conversation', async () => {
    const agent = await olivia();
    const { socket: visitor } = await ben();
    visitor.send({ type: 'seen', id: OLIVIA_ANSWERS });
    expect(await agent.next('seen')).toEqual({
      type: 'seen',
      conversationId: C.benActive,
      by: 'visitor',
      id: OLIVIA_ANSWERS,
      at: expect.any(String),
    });
    agent.send({ type: 'seen', conversationId: C.benActive, id: BEN_ASKS });
    const seen = await visitor.next<{ at: string }>('seen');
    expect(seen).toEqual({ type: 'seen', id: BEN_ASKS, at: expect.any(String) });
    expect(await readRow(server.db, 'conversations', { id: C.benActive })).toMatchObject({
      visitorSeenId: OLIVIA_ANSWERS,
      agentSeenId: BEN_ASKS,
      agentSeenAt: Date.parse(seen.at),
    });
  });

  it('shows both receipts again to a side that reconnects', async () => {
    const agent = await olivia();
    const { socket: visitor } = await ben();
    visitor.send({ type: 'seen', id: OLIVIA_ANSWERS });
    const toAgent = await agent.next<{ at: string }>('seen');
    agent.send({ type: 'seen', conversationId: C.benActive, id: BEN_ASKS });
    const toVisitor = await visitor.next<{ at: string }>('seen');
    visitor.close();
    agent.close();

    const { welcome } = await ben();
    expect(welcome.conversation?.seen).toEqual({ id: BEN_ASKS, at: toVisitor.at });
    const again = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: (await signIn(inProcessClient(server), FIXTURE.agents.acmeOwner.email)).cookie,
    });
    const { conversations } = await again.next<{
      conversations: Array<{ id: string; seenByVisitor?: unknown }>;
    }>('snapshot');
    expect(conversations.find((c) => c.id === C.benActive)?.seenByVisitor).toEqual({
      id: OLIVIA_ANSWERS,
      at: toAgent.at,
    });
  });

  it("refuses another conversation's or another account's message, and relays nothing for it", async () => {
    const agent = await olivia();
    const { socket: visitor } = await ben();
    // Anna's message, in another conversation of the same account.
    visitor.send({ type: 'seen', id: 'msg_anna_2' });
    expect(await visitor.next('error')).toMatchObject({ code: 'not_found' });
    // Gwen's, in another account.
    agent.send({ type: 'seen', conversationId: C.benActive, id: 'msg_gwen_1' });
    expect(await agent.next('error')).toMatchObject({ code: 'not_found' });
    agent.send({ type: 'seen', conversationId: C.gwenWaiting, id: 'msg_gwen_1' });
    expect(await agent.next('error')).toMatchObject({ code: 'not_found' });
    await settled(visitor);
    await settled(agent);
    expect(visitor.frames.filter((frame) => frame.type === 'seen')).toEqual([]);
    expect(agent.frames.filter((frame) => frame.type === 'seen')).toEqual([]);
    expect(await readRow(server.db, 'conversations', { id: C.benActive })).toMatchObject({
      visitorSeenId: null,
      agentSeenId: null,
    });
    expect(await readRow(server.db, 'conversations', { id: C.gwenWaiting })).toMatchObject({
      agentSeenId: null,
    });
  });

  it('relays a receipt once: the same message again, or an older one, is not told twice', async () => {
    const agent = await olivia();
    const { socket: visitor } = await ben();
    visitor.send({ type: 'seen', id: OLIVIA_ANSWERS });
    visitor.send({ type: 'seen', id: OLIVIA_ANSWERS });
    visitor.send({ type: 'seen', id: BEN_ASKS });
    await settled(visitor);
    await agent.next('seen');
    await settled(agent);
    expect(agent.frames.filter((frame) => frame.type === 'seen')).toEqual([]);
    expect(visitor.frames.filter((frame) => frame.type === 'error')).toEqual([]);
  });
});
