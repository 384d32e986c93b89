import { existsSync, statSync } from 'node:fs';
import { closeDatabase, openStore } from '@parley/db';
import { getAccountByPublicKey, listMessages } from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TestSocket } from './testing/test-app.ts';
import { startTestParley, type TestParley } from './testing/test-parley.ts';

// Parley as `main.ts` runs it, built by `bootstrap` from its configuration, in this process: it starts, chats, and
// stops without losing what it acknowledged or leaving its store open.

let running: TestParley | null = null;
afterEach(async () => {
  await running?.remove();
  running = null;
});

async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/app/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

const BURST = 20;

/** The size of an SQLite database's WAL file; none at all counts as empty (and PostgreSQL has none of ours). */
function walSize(databasePath: string | null): number {
  if (databasePath === null) return 0;
  const wal = `${databasePath}-wal`;
  return existsSync(wal) ? statSync(wal).size : 0;
}

describe('bootstrap', () => {
  it('starts, chats, and stops: sockets close with 1001, acknowledged messages are stored, the store is closed', async () => {
    running = await startTestParley();
    const { parley, addresses, databasePath, databaseUrl } = running;
    const demo = parley.demo;
    expect(demo).not.toBeNull();
    expect(parley.firstStaff).not.toBeNull();
    const health = await fetch(`${addresses.chat}/healthz`);
    expect(health.status).toBe(200);
    expect(addresses.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin$/);
    expect((await fetch(`${addresses.admin}/trpc/auth.me`)).status).toBe(200);

    const ws = addresses.chat.replace(/^http/, 'ws');
    const agent = new TestSocket(`${ws}/ws/agent`, {
      origin: addresses.chat,
      cookie: await signIn(addresses.chat, demo!.email, demo!.password),
    });
    await agent.opened();
    await agent.next('snapshot');

    const visitor = new TestSocket(`${ws}/ws/visitor?account=${demo!.publicKey}`, {
      origin: 'https://shop.example',
    });
    await visitor.opened();
    visitor.send({ type: 'hello', persistent: true });
    await visitor.next('welcome');
    visitor.send({ type: 'send', key: 'first-message', text: 'Hello from the visitor' });
    const ack = await visitor.next<{ id: string }>('ack', (frame) => frame.key === 'first-message');
    const delivered = await agent.next<{ message: { id: string; conversationId: string; text: string } }>(
      'message',
    );
    expect(delivered.message).toMatchObject({ id: ack.id, text: 'Hello from the visitor' });

    // A burst still in flight when the stop begins: whatever was acknowledged must be in the store afterwards.
    const acked = new Map<string, string>([['first-message', ack.id]]);
    visitor.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; key?: string; id?: string };
      if (frame.type === 'ack' && frame.key && frame.id) acked.set(frame.key, frame.id);
    });
    for (let n = 0; n < BURST; n++)
      visitor.send({ type: 'send', key: `burst-message-${n}`, text: `burst ${n}` });
    await visitor.next('ack', (frame) => frame.key === 'burst-message-0');
    await running.stop();

    expect((await visitor.closed).code).toBe(CLOSE_CODES.goingAway);
    expect((await agent.closed).code).toBe(CLOSE_CODES.goingAway);
    await expect(fetch(`${addresses.chat}/healthz`)).rejects.toThrow();
    await expect(fetch(`${addresses.admin}/trpc/auth.me`)).rejects.toThrow();
    expect(acked.size).toBeGreaterThan(1);

    // Closed, and checkpointed before it: the WAL holds nothing (SQLite deletes it when the last connection closes).
    expect(walSize(databasePath)).toBe(0);

    const db = openStore(databaseUrl);
    try {
      const account = await getAccountByPublicKey(db, demo!.publicKey);
      const messages = await listMessages(db, account!.id, delivered.message.conversationId);
      const stored = new Map(messages.map((message) => [message.clientKey, message.id]));
      for (const [key, id] of acked) expect(stored.get(key)).toBe(id);
    } finally {
      await closeDatabase(db);
    }
  });

  it('two more Parleys starting at once on a store the first has set up both come up and share its data', async () => {
    const first = await startTestParley();
    running = first;
    const store = { url: first.databaseUrl, path: first.databasePath };
    // Two more start at the same moment against the store the first set up, as an installation's nodes do: both
    // run the migrations (under PostgreSQL's advisory lock), load the same secrets and policy, and create nothing.
    const [second, third] = await Promise.all([
      startTestParley({}, store),
      startTestParley({}, store),
    ]);
    try {
      for (const node of [second, third]) {
        expect((await fetch(`${node.addresses.chat}/healthz`)).status).toBe(200);
        // The demo account and the first staff member exist once, made by the first start only.
        expect(node.parley.demo).toBeNull();
        expect(node.parley.firstStaff).toBeNull();
      }
      const demo = first.parley.demo!;
      for (const node of [first, second, third])
        await signIn(node.addresses.chat, demo.email, demo.password);
    } finally {
      await second.stop();
      await third.stop();
      await second.remove();
      await third.remove();
    }
  });

  it('a second stop (SIGINT after SIGTERM) waits for the first instead of closing the store twice', async () => {
    running = await startTestParley();
    await Promise.all([running.stop(), running.stop()]);
    await expect(fetch(`${running.addresses.chat}/healthz`)).rejects.toThrow();
    expect(walSize(running.databasePath)).toBe(0);
  });
});
