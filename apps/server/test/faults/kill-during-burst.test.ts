import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, hashPassword, migrate, openDatabase } from '@parley/db';
import { createAccountWithOwner } from '@parley/db/chat';
import { readRows } from '@parley/db/testing';
import { LIMITS } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../../src/testing/test-app.ts';
import { freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// A crash (kill -9) in the middle of a burst of messages: whatever the server acknowledged must be in the database
// and reach the agent once the server is back, because a message is acknowledged only after its row is committed.

const PASSWORD = 'fault test password';
const EMAIL = 'owner@faults.test';
const VISITORS = 8;
/** Each visitor sends a full burst: as many frames as the rate limit lets through at once. */
const PER_VISITOR = LIMITS.burstFrames - 1;

let dir: string;
let publicKey: string;
let server: ServerProcess | null = null;

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/app/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

const keyOf = (visitor: number, n: number) => `burst_${visitor}_${String(n).padStart(4, '0')}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-fault-kill-'));
  const db = openDatabase(join(dir, 'parley.db'));
  await migrate(db);
  ({ publicKey } = await createAccountWithOwner(db, {
    organization: 'Fault Tests Ltd',
    region: 'DE',
    owner: { email: EMAIL, name: 'Owner', passwordHash: await hashPassword(PASSWORD) },
  }));
  await closeDatabase(db);
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 during a burst', () => {
  it('keeps every acknowledged message, and the agent sees each after the restart', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    server = await startServerProcess(dir, port);
    const ws = server.url.replace(/^http/, 'ws');

    const agent = new TestSocket(`${ws}/ws/agent`, { origin: server.url, cookie: await signIn(server.url) });
    await agent.opened();
    await agent.next('snapshot');

    // Every visitor fires its whole burst at once; the server is killed as soon as a quarter of it is
    // acknowledged, while the rest is in flight, queued in the writer or not yet read.
    const total = VISITORS * PER_VISITOR;
    const acked = new Map<string, string>();
    let onKilled!: () => void;
    const killed = new Promise<void>((resolve) => {
      onKilled = resolve;
    });
    const chatIds: string[] = [];
    const visitors: TestSocket[] = [];
    for (let v = 0; v < VISITORS; v++) {
      const visitor = new TestSocket(`${ws}/ws/visitor?account=${publicKey}`, {
        origin: 'https://shop.example',
      });
      await visitor.opened();
      visitor.send({ type: 'hello', persistent: true });
      chatIds.push(String((await visitor.next('welcome')).chatId));
      visitor.ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; key?: string; id?: string };
        if (frame.type !== 'ack' || !frame.key || !frame.id) return;
        // Acks that were already on their way when the signal landed count too: they were all promises.
        acked.set(frame.key, frame.id);
        if (acked.size >= total / 4 && server!.child.signalCode === null && !server!.child.killed) {
          server!.child.kill('SIGKILL');
          onKilled();
        }
      });
      visitors.push(visitor);
    }
    for (let n = 0; n < PER_VISITOR; n++)
      visitors.forEach((visitor, v) => {
        visitor.send({ type: 'send', key: keyOf(v, n), text: `message ${n} from visitor ${v}` });
      });
    await killed;
    await server.exited;
    await Promise.all(visitors.map((visitor) => visitor.closed));
    const ackedBeforeCrash = new Map(acked);
    expect(ackedBeforeCrash.size).toBeGreaterThan(0);
    expect(ackedBeforeCrash.size).toBeLessThan(total);

    server = await startServerProcess(dir, port);
    const agentAgain = new TestSocket(`${ws}/ws/agent`, {
      origin: server.url,
      cookie: await signIn(server.url),
    });
    await agentAgain.opened();
    const snapshot = await agentAgain.next<{ conversations: Array<{ id: string }> }>('snapshot');
    const seen = new Set<string>();
    for (const conversation of snapshot.conversations) {
      agentAgain.send({ type: 'open', conversationId: conversation.id });
      const history = await agentAgain.next<{ messages: Array<{ id: string }> }>(
        'history',
        (f) => f.conversationId === conversation.id,
      );
      for (const message of history.messages) seen.add(message.id);
    }
    const lost = [...ackedBeforeCrash].filter(([, id]) => !seen.has(id));
    expect(lost).toEqual([]);

    // The widget resends what was never acknowledged, under the same keys: each message is then stored once, and
    // what was acknowledged before the crash keeps its id.
    for (const [v, chatId] of chatIds.entries()) {
      const visitor = new TestSocket(`${ws}/ws/visitor?account=${publicKey}`, {
        origin: 'https://shop.example',
      });
      await visitor.opened();
      visitor.send({ type: 'hello', persistent: true, chatId });
      await visitor.next('welcome');
      for (let n = 0; n < PER_VISITOR; n++) {
        const key = keyOf(v, n);
        visitor.send({ type: 'send', key, text: `message ${n} from visitor ${v}` });
        const ack = await visitor.next<{ id: string }>('ack', (f) => f.key === key);
        if (ackedBeforeCrash.has(key)) expect(ack.id).toBe(ackedBeforeCrash.get(key));
      }
      visitor.close();
    }
    server.child.kill('SIGTERM');
    await server.exited;

    const db = openDatabase(join(dir, 'parley.db'));
    const rows = await readRows(db, 'messages', { author: 'visitor' });
    await closeDatabase(db);
    expect(rows).toHaveLength(total);
    const stored = new Map(rows.map((r) => [r.clientKey, r.id]));
    for (const [key, id] of ackedBeforeCrash) expect(stored.get(key)).toBe(id);
  });
});
