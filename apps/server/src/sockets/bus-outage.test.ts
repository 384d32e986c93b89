import { startThrowawayRedis, type TestRedisServer } from '@parley/live/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TestSocket } from '../testing/test-app.ts';
import { signInCookie, startTestParley, type TestParley } from '../testing/test-parley.ts';

// Redis pub/sub drops what is published while it is away. A Redis restart in the middle of a chat must still lose
// nothing: the message writer commits before anything is published, and when the bus is back every open socket
// reads what it missed from the store, and the widget how its chat stands now.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every chat message a socket received, whatever else waited for frames. */
function messagesOf(socket: TestSocket): Array<{ id: string; text: string }> {
  const seen: Array<{ id: string; text: string }> = [];
  socket.ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; message?: { id: string; text: string } };
    if (frame.type === 'message' && frame.message)
      seen.push({ id: frame.message.id, text: frame.message.text });
  });
  return seen;
}

async function open(node: TestParley, path: string, headers: Record<string, string>): Promise<TestSocket> {
  const socket = new TestSocket(`${node.addresses.chat.replace(/^http/, 'ws')}${path}`, headers);
  cleanups.push(async () => socket.close());
  await socket.opened();
  return socket;
}

describe('a Redis restart in the middle of a chat', () => {
  it('loses no message either way, and delivers none twice', { timeout: 60_000 }, async () => {
    let redis: TestRedisServer = await startThrowawayRedis();
    cleanups.push(() => redis.stop());
    const port = Number(new URL(redis.url).port);
    const node = await startTestParley({ PARLEY_REDIS_URL: redis.url });
    cleanups.push(() => node.remove());
    const demo = node.parley.demo!;
    const base = node.addresses.chat;

    const agent = await open(node, '/ws/agent', {
      origin: base,
      cookie: await signInCookie(base, demo.email, demo.password),
    });
    await agent.next('snapshot');
    const toAgent = messagesOf(agent);
    const visitor = await open(node, `/ws/visitor?account=${demo.publicKey}`, {
      origin: 'https://shop.example',
    });
    const toVisitor = messagesOf(visitor);
    visitor.send({ type: 'hello', persistent: false });
    await visitor.next('welcome');

    visitor.send({ type: 'send', key: 'key_before_outage', text: 'before the outage' });
    await visitor.next('ack');
    const first = await agent.next<{ message: { conversationId: string } }>('message');
    const conversationId = first.message.conversationId;

    await redis.stop();
    // Stored and acknowledged while the bus is away; publishing them fails, and the sender is told.
    visitor.send({ type: 'send', key: 'key_during_outage', text: 'said while Redis was away' });
    await visitor.next('ack');
    agent.send({
      type: 'send',
      conversationId,
      key: 'key_agent_outage',
      text: 'answered while Redis was away',
    });
    await agent.next('ack');

    redis = await startThrowawayRedis({ port });
    // The bus subscribes again, and each socket catches up from the store.
    await agent.next(
      'message',
      (f) => (f.message as { text: string }).text === 'said while Redis was away',
      30_000,
    );
    await visitor.next(
      'message',
      (f) => (f.message as { text: string }).text === 'answered while Redis was away',
      30_000,
    );
    // The agent's answer took the chat while Redis was away; the visitor hears that it is now active.
    await visitor.next('conversation', (f) => f.status === 'active', 30_000);
    visitor.send({ type: 'send', key: 'key_after_outage', text: 'after the outage' });
    await agent.next('message', (f) => (f.message as { text: string }).text === 'after the outage', 30_000);

    const texts = (seen: Array<{ text: string }>) => seen.map((m) => m.text);
    expect(texts(toAgent)).toEqual(['before the outage', 'said while Redis was away', 'after the outage']);
    expect(new Set(toAgent.map((m) => m.id)).size).toBe(toAgent.length);
    expect(texts(toVisitor)).toEqual(['answered while Redis was away']);
  });
});
