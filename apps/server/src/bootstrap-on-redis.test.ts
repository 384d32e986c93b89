import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAccountByPublicKey } from '@parley/db/chat';
import { testDialect } from '@parley/db/testing';
import { openLiveState, SIGN_IN_LIMITS, systemClock } from '@parley/live';
import { deleteRedisKeys, startThrowawayRedis, testRedisPrefix, testRedisUrl } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from './logger.ts';
import { signIn, TestSocket, writeHeaders } from './testing/test-app.ts';
import { emptyTestStore, signInCookie, startTestParley, type TestParley } from './testing/test-parley.ts';

// Parley with PARLEY_REDIS_URL: its bus, presence and sign-in throttle live in Redis, shared by every node.

const redisUrl = testRedisUrl();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Settings for nodes of one installation on the run's Redis, under keys of their own that are deleted afterwards. */
function onRedis(): Record<string, string> {
  const prefix = testRedisPrefix();
  cleanups.push(() => deleteRedisKeys(redisUrl, prefix));
  return { PARLEY_REDIS_URL: redisUrl, PARLEY_REDIS_PREFIX: prefix };
}

/** The live state of another node of the installation `settings` configure, as a reader of what the nodes share. */
async function anotherNode(settings: Record<string, string>) {
  const live = await openLiveState({
    redisUrl,
    prefix: settings.PARLEY_REDIS_PREFIX,
    onError: (error) => {
      throw error;
    },
  });
  cleanups.push(() => live.close());
  return live;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}

async function agentSocket(node: TestParley, demo: { email: string; password: string }): Promise<TestSocket> {
  const base = node.addresses.chat;
  const socket = new TestSocket(`${base.replace(/^http/, 'ws')}/ws/agent`, {
    origin: base,
    cookie: await signInCookie(base, demo.email, demo.password),
  });
  cleanups.push(async () => socket.ws.close());
  await socket.opened();
  await socket.next('snapshot');
  return socket;
}

async function visitorSocket(node: TestParley, publicKey: string): Promise<TestSocket> {
  const base = node.addresses.chat;
  const socket = new TestSocket(`${base.replace(/^http/, 'ws')}/ws/visitor?account=${publicKey}`, {
    origin: 'https://shop.example',
  });
  cleanups.push(async () => socket.ws.close());
  await socket.opened();
  return socket;
}

describe('Parley on Redis', () => {
  it('keeps presence in Redis, and warns once that mail files stay on each node without SMTP_URL', async () => {
    const settings = onRedis();
    const log = recordingLogger();
    const node = await startTestParley(settings, undefined, { log });
    cleanups.push(() => node.remove());
    const demo = node.parley.demo!;

    const warnings = log.lines.filter((line) => line.startsWith('warn: ') && line.includes('SMTP_URL'));
    expect(warnings).toEqual([
      'warn: PARLEY_REDIS_URL is set but SMTP_URL is not: each node writes the mail it sends as files in its own PARLEY_MAIL_DIR; nodes sharing Redis should send through SMTP_URL',
    ]);
    expect(log.lines).toContain(
      `info: Live state (bus, presence, sign-in throttle) on Redis at ${redisUrl}, keys ${settings.PARLEY_REDIS_PREFIX}*`,
    );

    // What the node's agent socket did is seen by another reader of the same Redis.
    await agentSocket(node, demo);
    const account = await getAccountByPublicKey(node.parley.app.services.db, demo.publicKey);
    const live = await anotherNode(settings);
    const presence = live.presence({ clock: systemClock, onLapse: () => {} });
    await vi.waitFor(async () => expect(await presence.count(account!.id)).toBe(1), { timeout: 15_000 });
    expect(log.lines.filter((line) => line.startsWith('error: '))).toEqual([]);
  });

  it('SEC-1: the dashboard and the admin console count sign-in attempts in Redis, one count for both', async () => {
    const settings = onRedis();
    const node = await startTestParley(settings);
    cleanups.push(() => node.remove());
    const live = await anotherNode(settings);

    // Another node took every attempt this address had.
    for (let i = 0; i < SIGN_IN_LIMITS.addressBurst; i++)
      expect(await live.throttle.reserve({ email: `guess${i}@burst.test`, address: '127.0.0.1' })).toEqual({
        allowed: true,
      });
    const post = (url: string, origin: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: 'someone@burst.test', password: 'a guess' }),
      });
    const chat = node.addresses.chat;
    const admin = node.addresses.admin!;
    expect((await post(`${chat}/app/api/sign-in`, chat)).status).toBe(429);
    expect((await post(`${admin}/trpc/auth.signIn`, new URL(admin).origin)).status).toBe(429);
  });

  it('SEC-1: a visitor blocked on one node has their socket on another closed, and is refused there after', async () => {
    const settings = onRedis();
    const one = await startTestParley(settings);
    cleanups.push(() => one.remove());
    const two = await startTestParley(settings, { url: one.databaseUrl, path: one.databasePath });
    cleanups.push(() => two.stop());
    const demo = one.parley.demo!;
    await agentSocket(one, demo);

    const hello = async (node: TestParley, chatId?: string) => {
      const socket = await visitorSocket(node, demo.publicKey);
      socket.send({ type: 'hello', persistent: true, ...(chatId ? { chatId } : {}) });
      return socket;
    };
    const visitor = await hello(two);
    const { chatId } = await visitor.next<{ chatId: string }>('welcome');
    visitor.send({ type: 'send', key: 'key-spam-000001', text: 'Cheap watches here' });
    await visitor.next('ack');

    const base = one.addresses.chat;
    const app = { request: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
    const session = await signIn(app, demo.email, { password: demo.password, origin: base });
    const listed = (await (
      await app.request('/app/api/conversations', { headers: { cookie: session.cookie } })
    ).json()) as { conversations: Array<{ id: string }> };
    const response = await app.request(`/app/api/conversations/${listed.conversations[0]!.id}/block`, {
      method: 'POST',
      headers: writeHeaders(session, { origin: base }),
      body: JSON.stringify({ days: 1 }),
    });
    expect(response.status).toBe(201);
    const refused = { code: CLOSE_CODES.blocked, reason: 'chat is not available' };
    expect(await visitor.closed).toEqual(refused);
    expect(await (await hello(two, chatId)).closed).toEqual(refused);
  });

  it('stops start-up with one line naming PARLEY_REDIS_URL when Redis cannot be reached', async () => {
    const gone = await startThrowawayRedis();
    await gone.stop();
    await expect(startTestParley({ PARLEY_REDIS_URL: gone.url })).rejects.toThrow(
      `PARLEY_REDIS_URL: Redis at ${gone.url} cannot be reached (ECONNREFUSED)`,
    );
  });

  // An SQLite installation is one process: its file is not shared by several nodes.
  it.skipIf(testDialect() === 'sqlite')(
    'two nodes on one store and one Redis act as one: an agent on one is online for a visitor on the other, and messages cross',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'parley-nodes-'));
      const store = await emptyTestStore(folder);
      cleanups.push(async () => {
        await store.drop();
        rmSync(folder, { recursive: true, force: true });
      });
      const settings = onRedis();
      const [one, two] = await Promise.all([1, 2].map(() => startTestParley(settings, store)));
      cleanups.push(
        () => one!.remove(),
        () => two!.remove(),
      );
      const demo = (one!.parley.demo ?? two!.parley.demo)!;

      const agent = await agentSocket(one!, demo);
      const visitor = await visitorSocket(two!, demo.publicKey);
      visitor.send({ type: 'hello', persistent: true });
      const welcome = await visitor.next<{ agentsOnline: boolean }>('welcome');
      expect(welcome.agentsOnline).toBe(true);

      visitor.send({ type: 'send', key: 'across-nodes', text: 'Hello from the other node' });
      const delivered = await agent.next<{ message: { text: string } }>('message');
      expect(delivered.message.text).toBe('Hello from the other node');
    },
  );
});
