import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { CLOSE_CODES, LIMITS } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BYTES } from '../../src/sockets/socket-channel.ts';
import { startTestServer, type TestServer, TestSocket } from '../../src/testing/test-app.ts';

// An agent whose dashboard stops reading (a frozen tab, a dead network path) must not hold up anyone else: the
// other agent gets every message while the stalled one still reads nothing, and the stalled socket is dropped once
// the server has buffered more than MAX_BUFFERED_BYTES for it. (How fast is for the benchmarks; what is asserted
// here holds on any machine.)

const VISITORS = 60;
/** Each visitor sends what its burst allows, with long texts, so megabytes pile up for a reader that stopped. */
const PER_VISITOR = LIMITS.burstFrames - 2;
const TEXT_CHARS = LIMITS.maxMessageChars - 100;

let server: TestServer;

async function signIn(email: string): Promise<string> {
  const res = await server.request('/app/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.running.url },
    body: JSON.stringify({ email, password: FIXTURE_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

beforeAll(async () => {
  // Every visitor starts a chat at once: past the account's usual limit of new chats a minute, which is not tested here.
  server = await startTestServer({ config: { newConversationsPerMinute: VISITORS } });
});

afterAll(async () => {
  await server.close();
});

describe('a client that stops reading', () => {
  it('does not slow the others, and is dropped past the buffer limit', { timeout: 25_000 }, async () => {
    const agentUrl = `${server.wsUrl}/ws/agent`;
    const stalled = new TestSocket(agentUrl, {
      origin: server.running.url,
      cookie: await signIn(FIXTURE.agents.acmeOwner.email),
    });
    const healthy = new TestSocket(agentUrl, {
      origin: server.running.url,
      cookie: await signIn(FIXTURE.agents.acmeAgent.email),
    });
    await Promise.all([stalled.opened(), healthy.opened()]);
    await Promise.all([stalled.next('snapshot'), healthy.next('snapshot')]);
    let stalledClose: { code: number } | null = null;
    void stalled.closed.then((closed) => {
      stalledClose = closed;
    });
    stalled.ws.pause();

    // Which visitor messages reached the healthy agent.
    const received = new Set<string>();
    healthy.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; message?: { author: string; text: string } };
      if (frame.type !== 'message' || frame.message?.author !== 'visitor') return;
      received.add(frame.message.text.slice(0, frame.message.text.indexOf(' ')));
    });

    const visitors: TestSocket[] = [];
    for (let v = 0; v < VISITORS; v++) {
      const visitor = new TestSocket(`${server.wsUrl}/ws/visitor?account=${FIXTURE.accounts.acme.publicKey}`);
      await visitor.opened();
      visitor.send({ type: 'hello', persistent: false });
      await visitor.next('welcome');
      visitors.push(visitor);
    }
    const filler = 'w'.repeat(TEXT_CHARS);
    for (let n = 0; n < PER_VISITOR; n++) {
      visitors.forEach((visitor, v) => {
        const tag = `v${v}n${n}`;
        visitor.send({ type: 'send', key: `slow_${tag}_key`, text: `${tag} ${filler}` });
      });
      // Spread over a few event-loop turns, as real traffic is.
      await new Promise((r) => setImmediate(r));
    }

    // Every message reaches the healthy agent while the stalled client has still read nothing.
    const total = VISITORS * PER_VISITOR;
    const deadline = performance.now() + 15_000;
    while (received.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received.size).toBe(total);
    expect(stalled.frames.filter((f) => f.type === 'message')).toHaveLength(0);

    // The server gives up on the stalled socket by itself, while the client still reads nothing: it sends the
    // slow-consumer close and, as the client cannot read it, cuts the connection and forgets the socket.
    expect(total * TEXT_CHARS).toBeGreaterThan(4 * MAX_BUFFERED_BYTES);
    const open = server.parley.services.sockets.size;
    const dropDeadline = performance.now() + 10_000;
    while (server.parley.services.sockets.size === open && performance.now() < dropDeadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(server.parley.services.sockets.size).toBe(open - 1);
    expect(stalledClose).toBeNull();

    // Reading again, the client finds what had been buffered, then the close (or the cut), never the rest.
    stalled.ws.resume();
    const { code } = await stalled.closed;
    expect([CLOSE_CODES.slowConsumer, 1006]).toContain(code);
    expect(stalled.frames.filter((f) => f.type === 'message').length).toBeLessThan(total);

    // The healthy agent is still served.
    healthy.send({ type: 'ping' });
    await healthy.next('pong');
    for (const visitor of visitors) visitor.close();
    healthy.close();
  });
});
