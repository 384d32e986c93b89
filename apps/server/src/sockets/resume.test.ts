import { FIXTURE, insertRows, readRow } from '@parley/db/testing';
import type { ChatMessage } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
} from '../testing/test-app.ts';
import { MAX_RESUMED_MESSAGES } from './agent-socket.ts';

const ACME = FIXTURE.accounts.acme;
const BEN = FIXTURE.visitors.ben;
const BEN_CHAT = FIXTURE.conversations.benActive;
const OLIVIA = FIXTURE.agents.acmeOwner;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

type Welcome = { messages: ChatMessage[] };
type Snapshot = { resume?: string; conversations: Array<{ id: string; lastMessage?: ChatMessage }> };
const ids = (messages: ChatMessage[]) => messages.map((message) => message.id);

/** Ben's widget: hello with his chat id, and `after` when it resumes. */
async function ben(after?: string): Promise<{ socket: TestSocket; welcome: Welcome }> {
  const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
  socket.send({ type: 'hello', chatId: BEN.chatId, persistent: true, ...(after ? { after } : {}) });
  return { socket, welcome: await socket.next<Welcome>('welcome') };
}

/** Olivia's dashboard, resuming with `query` (e.g. `?after=…`); the snapshot it opened with. */
async function olivia(query = ''): Promise<{ socket: TestSocket; snapshot: Snapshot }> {
  const session = await signIn(inProcessClient(server), OLIVIA.email);
  const socket = new TestSocket(`${server.wsUrl}/ws/agent${query}`, {
    origin: server.running.url,
    cookie: session.cookie,
  });
  return { socket, snapshot: await socket.next<Snapshot>('snapshot') };
}

/** Olivia answers Ben; resolves with the stored message's id. */
async function answer(agent: TestSocket, key: string): Promise<string> {
  agent.send({ type: 'send', key, conversationId: BEN_CHAT, text: `answer ${key}` });
  return (await agent.next<{ id: string }>('ack', (frame) => frame.key === key)).id;
}

/** Messages written by another node whose bus publication this node never received. */
async function writtenElsewhere(conversationId: string, visitorId: string, count: number): Promise<string[]> {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `msg_elsewhere_${String(i).padStart(4, '0')}`,
    conversationId,
    accountId: ACME.id,
    visitorId,
    author: 'visitor' as const,
    body: `written elsewhere ${i}`,
    clientKey: `key_elsewhere_${i}`,
    createdAt: now + i,
  }));
  await insertRows(server.db, 'messages', rows);
  return rows.map((row) => row.id);
}

/** The ids of the next `count` message frames, then proof that no other message frame follows. */
async function nextMessages(socket: TestSocket, count: number): Promise<string[]> {
  const got: string[] = [];
  for (let i = 0; i < count; i++)
    got.push((await socket.next<{ message: ChatMessage }>('message')).message.id);
  await socket.none('message');
  return got;
}

describe('a widget that reconnects', () => {
  it('gets in its welcome exactly the messages written while it was away', async () => {
    const first = await ben();
    expect(ids(first.welcome.messages)).toEqual(['msg_ben_1', 'msg_ben_2']);
    first.socket.close();
    const { socket: agent } = await olivia();
    const missed = [await answer(agent, 'key_away_1'), await answer(agent, 'key_away_2')];
    const { welcome } = await ben('msg_ben_2');
    expect(ids(welcome.messages)).toEqual(missed);
  });

  it('gets nothing more when it missed nothing', async () => {
    const { welcome } = await ben('msg_ben_2');
    expect(welcome.messages).toEqual([]);
  });

  it.each([
    ['a message that does not exist (erased)', 'msg_erased_long_ago'],
    ["another conversation's message", 'msg_anna_3'],
  ])('gets every message when it resumes from %s', async (_, after) => {
    const { welcome } = await ben(after);
    expect(ids(welcome.messages)).toEqual(['msg_ben_1', 'msg_ben_2']);
  });
});

describe('a dashboard that reconnects', () => {
  it('gets, after a snapshot marked complete, exactly the messages written while it was away', async () => {
    const first = await olivia();
    const newest = first.snapshot.conversations
      .flatMap((conversation) => (conversation.lastMessage ? [conversation.lastMessage] : []))
      .sort((a, b) => a.at.localeCompare(b.at))
      .at(-1);
    expect(newest?.id).toBe('msg_gpc_1');
    first.socket.close();
    const widget = await ben();
    widget.socket.send({ type: 'send', key: 'key_while_away', text: 'Still there?' });
    const { id } = await widget.socket.next<{ id: string }>('ack');
    const { socket, snapshot } = await olivia('?after=msg_gpc_1');
    expect(snapshot.resume).toBe('complete');
    const message = await socket.next<{ message: ChatMessage }>('message');
    expect(message.message).toMatchObject({ id, text: 'Still there?', conversationId: BEN_CHAT });
    await socket.none('message');
  });

  it('is told to reload its histories, and sent no messages, when it missed too many', async () => {
    await writtenElsewhere(BEN_CHAT, BEN.id, MAX_RESUMED_MESSAGES + 1);
    const { socket, snapshot } = await olivia('?after=msg_gpc_1');
    expect(snapshot.resume).toBe('reload');
    await socket.none('message');
  });

  it.each([
    ['a message that does not exist', '?after=msg_erased_long_ago'],
    ['an id that is not one', `?after=${'x'.repeat(65)}`],
  ])('is told to reload its histories when it resumes from %s', async (_, query) => {
    const { socket, snapshot } = await olivia(query);
    expect(snapshot.resume).toBe('reload');
    await socket.none('message');
  });

  it('opens as before, without a resume, on its first connection', async () => {
    const { snapshot } = await olivia();
    expect(snapshot).not.toHaveProperty('resume');
  });
});

describe("catching up after the bus's subscriptions were interrupted", () => {
  it('sends each socket what it missed, and nothing it already delivered', async () => {
    const { socket: agent } = await olivia();
    const widget = await ben();
    // Delivered live to the widget, and acknowledged to the dashboard: both within the skew of what follows.
    const live = await answer(agent, 'key_live');
    expect((await widget.socket.next<{ message: ChatMessage }>('message')).message.id).toBe(live);
    widget.socket.send({ type: 'send', key: 'key_own_thanks', text: 'Thanks!' });
    const own = await widget.socket.next<{ id: string }>('ack');
    expect((await agent.next<{ message: ChatMessage }>('message')).message.id).toBe(own.id);
    const lost = await writtenElsewhere(BEN_CHAT, BEN.id, 2);

    await server.parley.services.sockets.catchUp();

    expect(await nextMessages(widget.socket, lost.length)).toEqual(lost);
    expect((await agent.next<Snapshot>('snapshot')).resume).toBe('complete');
    expect(await nextMessages(agent, lost.length)).toEqual(lost);
  });

  it('sends nothing when nothing was lost', async () => {
    const { socket: agent } = await olivia();
    const widget = await ben();
    await answer(agent, 'key_live');
    await widget.socket.next('message');
    await server.parley.services.sockets.catchUp();
    expect((await agent.next<Snapshot>('snapshot')).resume).toBe('complete');
    expect(await nextMessages(agent, 0)).toEqual([]);
    expect(await nextMessages(widget.socket, 0)).toEqual([]);
  });

  it('sends a widget that was delivered no message yet every new message of its conversation', async () => {
    // A visitor without a conversation when they said hello, whose first message started one.
    const socket = new TestSocket(`${server.wsUrl}/ws/visitor?account=${ACME.publicKey}`);
    socket.send({ type: 'hello', persistent: true });
    await socket.next('welcome');
    socket.send({ type: 'send', key: 'key_first', text: 'Hello?' });
    const first = await socket.next<{ id: string }>('ack');
    const { conversationId, visitorId } = await readRow(server.db, 'messages', { id: first.id });
    const lost = await writtenElsewhere(conversationId, visitorId, 1);
    await server.parley.services.sockets.catchUp();
    // Its own message, acknowledged, is not sent again.
    expect(await nextMessages(socket, 1)).toEqual(lost);
  });
});
