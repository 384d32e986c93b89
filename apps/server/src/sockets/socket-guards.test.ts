import { EventEmitter } from 'node:events';
import { countRows, FIXTURE, readRow } from '@parley/db/testing';
import { CLOSE_CODES, LIMITS } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../logger.ts';
import {
  connectAgent,
  inProcessClient,
  signIn,
  startTestServer,
  type TestServer,
  TestSocket,
  writeHeaders,
} from '../testing/test-app.ts';
import { MAX_PAYLOAD_BYTES, SocketChannel } from './socket-channel.ts';

const ACME = FIXTURE.accounts.acme;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

const inProcess = () => inProcessClient(server);
const agentSession = (email: string) => connectAgent(server, email);

function visitorSocket(account: string = ACME.publicKey): TestSocket {
  return new TestSocket(`${server.wsUrl}/ws/visitor?account=${account}`);
}

describe('frames are validated', () => {
  it.each([
    ['not JSON', 'hello there'],
    ['an unknown type', { type: 'shout' }],
    ['a key that is too short', { type: 'send', key: 'short', text: 'hi' }],
    ['an empty message', { type: 'send', key: 'key_empty_text', text: '   ' }],
    [
      'a message that is too long',
      { type: 'send', key: 'key_long_text', text: 'x'.repeat(LIMITS.maxMessageChars + 1) },
    ],
  ])('answers %s with an error frame, and the socket stays open', async (_title, frame) => {
    const socket = visitorSocket();
    socket.send({ type: 'hello', persistent: true });
    await socket.next('welcome');
    socket.send(frame);
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_frame', message: expect.any(String) });
    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
  });

  it('answers frames before hello with not_ready', async () => {
    const socket = visitorSocket();
    socket.send({ type: 'send', key: 'key_too_early', text: 'hi' });
    expect(await socket.next('error')).toMatchObject({ code: 'not_ready', key: 'key_too_early' });
  });

  it('answers an agent frame that fails validation with an error, not a dropped connection', async () => {
    const { socket } = await agentSession(FIXTURE.agents.acmeOwner.email);
    socket.send({ type: 'send', key: 'key_no_conversation', text: 'hi' });
    expect(await socket.next('error')).toMatchObject({ code: 'invalid_frame' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
  });
});

describe('limits', () => {
  it(`refuses a frame over ${LIMITS.maxFrameBytes} bytes with frame_too_large, keeping the socket`, async () => {
    const socket = visitorSocket();
    socket.send({ type: 'hello', persistent: true });
    await socket.next('welcome');
    socket.send({ type: 'send', key: 'key_big_frame', text: 'x'.repeat(LIMITS.maxFrameBytes) });
    expect(await socket.next('error')).toMatchObject({ code: 'frame_too_large' });
    socket.send({ type: 'ping' });
    await socket.next('pong');
  });

  it('closes the socket (1009) on a frame far above the limit', async () => {
    const socket = visitorSocket();
    socket.send('x'.repeat(MAX_PAYLOAD_BYTES + 1));
    expect((await socket.closed).code).toBe(CLOSE_CODES.tooLarge);
  });

  it('rate-limits a burst with rate_limited and closes a flood with 4001', async () => {
    const socket = visitorSocket();
    await socket.opened();
    for (let i = 0; i < LIMITS.burstFrames + 5; i++) socket.send({ type: 'ping' });
    expect(await socket.next('error')).toMatchObject({ code: 'rate_limited' });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    for (let i = 0; i < 3 * LIMITS.burstFrames; i++) socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(CLOSE_CODES.flood);
  });

  it('drops a client that stops reading (4000) instead of buffering for it without end', () => {
    const raw = Object.assign(new EventEmitter(), {
      readyState: WebSocket.OPEN,
      bufferedAmount: 0,
      sent: [] as string[],
      closedWith: null as null | number,
      send(text: string) {
        this.sent.push(text);
        this.bufferedAmount += text.length;
      },
      close(code: number) {
        this.closedWith = code;
      },
      terminate() {},
    });
    const channel = new SocketChannel(raw as unknown as WebSocket, silentLogger, 1000);
    for (let i = 0; i < 20; i++) channel.send({ type: 'message', text: 'x'.repeat(100) });
    expect(raw.closedWith).toBe(CLOSE_CODES.slowConsumer);
    expect(raw.sent.length).toBeLessThan(20);
    expect(channel.open).toBe(false);
  });
});

describe('agent sockets', () => {
  it('SEC-1: closes a socket without a session with 1008', async () => {
    const socket = new TestSocket(`${server.wsUrl}/ws/agent`, { origin: server.running.url });
    expect(await socket.closed).toMatchObject({ code: CLOSE_CODES.policy, reason: 'not signed in' });
  });

  it('SEC-1: closes a socket opened from another origin with 1008, even with a valid session', async () => {
    const session = await signIn(inProcess(), FIXTURE.agents.acmeOwner.email);
    const socket = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: 'https://evil.test',
      cookie: session.cookie,
    });
    expect(await socket.closed).toMatchObject({ code: CLOSE_CODES.policy, reason: 'origin not allowed' });
    expect(socket.frames).toEqual([]);
  });

  it('closes the sockets of a removed agent, and of a session that signs out', async () => {
    const owner = await agentSession(FIXTURE.agents.acmeOwner.email);
    const adam = await agentSession(FIXTURE.agents.acmeAgent.email);
    await inProcess().request(`/app/api/agents/${FIXTURE.agents.acmeAgent.id}`, {
      method: 'DELETE',
      headers: writeHeaders(owner.session),
    });
    expect((await adam.socket.closed).code).toBe(CLOSE_CODES.agentRemoved);
    await inProcess().request('/app/api/sign-out', {
      method: 'POST',
      headers: writeHeaders(owner.session),
    });
    expect((await owner.socket.closed).code).toBe(CLOSE_CODES.signedOut);
  });

  it('closes a visitor socket for an unknown account with 1008', async () => {
    const socket = visitorSocket('pk_nobody_000000000000000');
    expect((await socket.closed).code).toBe(CLOSE_CODES.policy);
  });
});

describe('SEC-1: tenant isolation on sockets', () => {
  it("SEC-1: an agent never hears another account's visitors, and cannot read or write their conversations", async () => {
    const gina = await agentSession(FIXTURE.agents.globexOwner.email);
    const olivia = await agentSession(FIXTURE.agents.acmeOwner.email);
    const visitor = visitorSocket();
    visitor.send({ type: 'hello', persistent: true, chatId: FIXTURE.visitors.ben.chatId });
    await visitor.next('welcome');
    visitor.send({ type: 'send', key: 'key_for_acme_only', text: 'private to Acme' });
    await olivia.socket.next('message');
    visitor.send({ type: 'typing', typing: true });
    await olivia.socket.next('typing');

    for (const frame of [
      { type: 'open', conversationId: FIXTURE.conversations.benActive },
      {
        type: 'send',
        key: 'key_cross_tenant',
        conversationId: FIXTURE.conversations.benActive,
        text: 'hijack',
      },
      { type: 'typing', conversationId: FIXTURE.conversations.benActive, typing: true },
      { type: 'close', conversationId: FIXTURE.conversations.benActive },
    ]) {
      gina.socket.send(frame);
      expect(await gina.socket.next('error')).toMatchObject({ code: 'not_found' });
    }
    await gina.socket.none('message');
    await gina.socket.none('typing', 0);
    await gina.socket.none('history', 0);
    await visitor.none('message', 0);
    await visitor.none('typing', 0);
    const { status } = await readRow(server.db, 'conversations', { id: FIXTURE.conversations.benActive });
    expect(status).toBe('active');
    expect(await countRows(server.db, 'messages', { clientKey: 'key_cross_tenant' })).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('commits what was sent, then closes every socket with 1001', async () => {
    const { socket: olivia } = await agentSession(FIXTURE.agents.acmeOwner.email);
    const visitor = visitorSocket();
    visitor.send({ type: 'hello', persistent: true });
    await visitor.next('welcome');
    visitor.send({ type: 'send', key: 'key_last_words', text: 'one more thing' });
    await visitor.next('ack');
    await server.close();
    expect((await olivia.closed).code).toBe(CLOSE_CODES.goingAway);
    expect((await visitor.closed).code).toBe(CLOSE_CODES.goingAway);
    expect(await countRows(server.db, 'messages', { clientKey: 'key_last_words' })).toBe(1);
    await expect(fetch(`${server.running.url}/healthz`)).rejects.toThrow();
  });
});
