import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openStore } from '@parley/db';
import { getAccountByPublicKey, listMessages } from '@parley/db/chat';
import { testDialect } from '@parley/db/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TestSocket } from './testing/test-app.ts';
import { emptyTestStore, signInCookie, startTestParley, type TestParley } from './testing/test-parley.ts';

// Parley as `main.ts` runs it, built by `bootstrap` from its configuration, in this process: it starts, chats, and
// stops without losing what it acknowledged or leaving its store open.

let running: TestParley | null = null;
afterEach(async () => {
  await running?.remove();
  running = null;
});

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
      cookie: await signInCookie(addresses.chat, demo!.email, demo!.password),
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

  // An SQLite installation is one process: its file is not shared by several nodes.
  it.skipIf(testDialect() === 'sqlite')(
    'three Parleys started at once on one new store set it up once, and each serves what it set up',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'parley-nodes-'));
      const store = await emptyTestStore(folder);
      const nodes = await Promise.all([1, 2, 3].map(() => startTestParley({}, store)));
      try {
        // One of them made the demo account and the first staff member; the others found the installation set up.
        const demos = nodes.flatMap((node) => (node.parley.demo ? [node.parley.demo] : []));
        const staff = nodes.flatMap((node) => (node.parley.firstStaff ? [node.parley.firstStaff] : []));
        expect(demos).toHaveLength(1);
        expect(staff).toHaveLength(1);
        // Each node signs the demo agent in: one set of installation secrets and one account, seen by all.
        for (const node of nodes) {
          expect((await fetch(`${node.addresses.chat}/healthz`)).status).toBe(200);
          await signInCookie(node.addresses.chat, demos[0]!.email, demos[0]!.password);
        }
      } finally {
        for (const node of nodes) await node.remove();
        await store.drop();
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );

  it('a second stop (SIGINT after SIGTERM) waits for the first instead of closing the store twice', async () => {
    running = await startTestParley();
    await Promise.all([running.stop(), running.stop()]);
    await expect(fetch(`${running.addresses.chat}/healthz`)).rejects.toThrow();
    expect(walSize(running.databasePath)).toBe(0);
  });
});
