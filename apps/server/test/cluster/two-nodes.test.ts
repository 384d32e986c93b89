import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@parley/chromium';
import { closeDatabase, hashPassword, openStore, type ParleyDb } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX, setAgentOnline } from '@parley/db/chat';
import { FIXTURE_PASSWORD, readRows } from '@parley/db/testing';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@parley/db/testing/postgres';
import { deleteRedisKeys, testRedisPrefix, testRedisUrl } from '@parley/live/testing';
import { type RunningNginx, startNginx } from '@parley/test-services/nginx';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { freePort, type ServerProcess, startServerProcess } from '../faults/server-process.ts';

// Two Parley processes on one PostgreSQL database and one Redis, behind nginx: the real widget in Chromium reaches
// node A through one listener, the agent's dashboard node B through another (each listener falls back on the other
// node while its own is down). They must behave as one Parley: messages, typing and presence cross between nodes,
// a node killed in the middle of a burst loses no acknowledged message and delivers none twice, and signing out on
// one node closes the agent's socket on the other.

const { assets } = locateAssets();
const OWNER = { email: 'nia@cluster.test', name: 'Nia', password: FIXTURE_PASSWORD };
const BURST = 24;
const AWAY = 'We’re away – leave a message';

let database: TestPostgresDatabase;
let db: ParleyDb;
let dir: string;
let redisUrl: string;
const redisPrefix = testRedisPrefix();
let account: { accountId: string; agentId: string; publicKey: string };
const nodes: { a?: ServerProcess; b?: ServerProcess } = {};
let ports: { a: number; b: number };
let nginx: RunningNginx;
let visitorUrl: string;
let agentUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function startNode(name: 'a' | 'b'): Promise<ServerProcess> {
  mkdirSync(join(dir, name), { recursive: true });
  const node = await startServerProcess(join(dir, name), ports[name], {
    timeoutMs: 60_000,
    env: {
      DATABASE_URL: database.url,
      PARLEY_REDIS_URL: redisUrl,
      PARLEY_REDIS_PREFIX: redisPrefix,
    },
  });
  nodes[name] = node;
  return node;
}

beforeAll(async () => {
  if (assets.widget === null || assets.dashboard === null)
    throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  database = await createTestPostgresDatabase();
  db = openStore(database.url, { poolSize: 2 });
  account = await createAccountWithOwner(db, {
    organization: 'Cluster Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}cluster0000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  });
  await setAgentOnline(db, account.accountId, account.agentId, false);
  redisUrl = testRedisUrl();
  ports = { a: await freePort(), b: await freePort() };
  await Promise.all([startNode('a'), startNode('b')]);
  const a = `127.0.0.1:${ports.a}`;
  const b = `127.0.0.1:${ports.b}`;
  nginx = await startNginx([
    { port: await freePort(), nodes: [a, b] },
    { port: await freePort(), nodes: [b, a] },
  ]);
  [visitorUrl, agentUrl] = nginx.urls as [string, string];
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await nginx?.stop();
  for (const node of [nodes.a, nodes.b])
    if (node && node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
  if (db) await closeDatabase(db);
  if (redisUrl) await deleteRedisKeys(redisUrl, redisPrefix);
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

// ---- the visitor and the agent ------------------------------------------------------------------------------------

const launcher = (page: Page) => page.locator('parley-widget button.launcher');
const widgetStatus = (page: Page) => page.locator('parley-widget .panel .status');
const openConversation = (page: Page) => page.locator('article.conversation');

async function visitorTypes(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Your message');
  await input.fill(text);
  await input.press('Enter');
}

const visitorSees = (page: Page, text: string) =>
  page
    .locator('parley-widget .msg.agent .text')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout: 15_000 });

const agentSees = (page: Page, text: string) =>
  openConversation(page)
    .locator('.message-visitor .message-text')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout: 15_000 });

/** The texts of the visitor's messages the agent's open conversation shows, in order. */
const agentShows = (page: Page) =>
  openConversation(page).locator('.message-visitor .message-text').allTextContents();

describe('two nodes behind nginx, on one PostgreSQL database and one Redis', () => {
  let agent: Page;
  let visitor: Page;
  /** The ids the visitor's sockets were acknowledged, by idempotency key. */
  const acknowledged = new Map<string, string>();

  it('a visitor on node A and an agent on node B chat both ways, with typing and presence', async () => {
    agent = await newPage();
    await agent.goto(`${agentUrl}/app`, { waitUntil: 'load' });
    await agent.getByRole('textbox', { name: 'Email' }).fill(OWNER.email);
    await agent.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });

    visitor = await newPage();
    visitor.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(String(payload)) as { type: string; key?: string; id?: string };
        if (frame.type === 'ack' && frame.key && frame.id) acknowledged.set(frame.key, frame.id);
      }),
    );
    await visitor.goto(`${visitorUrl}/demo`, { waitUntil: 'load' });
    await launcher(visitor).click();
    // Nobody is online yet: the widget, welcomed by A, says so.
    await expect.poll(() => widgetStatus(visitor).textContent(), { timeout: 15_000 }).toBe(AWAY);

    // Presence crosses nodes: the agent goes online on B, and the widget on A says so.
    const available = agent.getByRole('switch', { name: 'Available' });
    await expect.poll(() => available.isEnabled()).toBe(true);
    await available.click();
    await expect.poll(() => widgetStatus(visitor).textContent(), { timeout: 15_000 }).toBe('We’re online');

    // Visitor (A) → agent (B), with the visitor's typing shown to the agent.
    await visitorTypes(visitor, 'Hello from node A');
    const item = agent.locator('a.conversation-item').filter({ hasText: 'Hello from node A' });
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await item.click();
    await agentSees(agent, 'Hello from node A');
    const typingLine = openConversation(agent).locator('.typing-line');
    await visitor.getByLabel('Your message').fill('still typing on A');
    await expect.poll(() => typingLine.textContent(), { timeout: 15_000 }).toBe('The visitor is typing…');
    await visitor.getByLabel('Your message').press('Enter');
    await agentSees(agent, 'still typing on A');

    // Agent (B) → visitor (A), with the agent's typing shown in the widget.
    const reply = agent.getByLabel('Reply', { exact: true });
    await reply.fill('Hello from node B');
    await expect
      .poll(() => widgetStatus(visitor).textContent(), { timeout: 15_000 })
      .toBe(`${OWNER.name} is typing…`);
    await reply.press('Enter');
    await visitorSees(visitor, 'Hello from node B');
  });

  it('kill -9 of the visitor’s node mid-burst: the widget goes on through B, and every acknowledged message is stored and shown once', async () => {
    const texts = Array.from({ length: BURST }, (_, i) => `burst message ${String(i).padStart(2, '0')}`);
    const killAfter = BURST / 3;
    let ackedByA = 0;
    for (const [i, text] of texts.entries()) {
      await visitorTypes(visitor, text);
      if (i === killAfter) {
        // Some of the burst is acknowledged by A, some is on the wire, the rest not yet typed.
        nodes.a!.child.kill('SIGKILL');
        await nodes.a!.exited;
        ackedByA = acknowledged.size;
      }
    }
    // The widget reconnects through nginx (now to B) and resends what A never acknowledged.
    // A had acknowledged part of the burst (the two messages before it included), not all of it.
    expect(ackedByA).toBeGreaterThan(2);
    expect(ackedByA).toBeLessThan(BURST + 2);
    await expect.poll(() => acknowledged.size, { timeout: 30_000 }).toBe(BURST + 2);
    await expect
      .poll(async () => await visitor.locator('parley-widget .msg.visitor.pending').count(), {
        timeout: 30_000,
      })
      .toBe(0);
    for (const text of texts) await agentSees(agent, text);

    const stored = await readRows(db, 'messages', { accountId: account.accountId, author: 'visitor' });
    const storedIds = new Set(stored.map((row) => row.id));
    for (const id of acknowledged.values()) expect(storedIds.has(id)).toBe(true);
    // Each text once in the store, and once on the agent's screen.
    for (const text of texts) expect(stored.filter((row) => row.body === text)).toHaveLength(1);
    const shown = await agentShows(agent);
    for (const text of texts) expect(shown.filter((line) => line === text)).toHaveLength(1);
  });

  it('signing out through node A closes the agent’s dashboard socket on node B', async () => {
    const node = await startNode('a');
    const cookies = await agent.context().cookies(agentUrl);
    const res = await fetch(`${node.url}/app/api/sign-out`, {
      method: 'POST',
      headers: {
        origin: node.url,
        cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '),
      },
    });
    expect(res.status).toBeLessThan(300);
    // The dashboard's socket on B was closed with the signed-out code: it shows the sign-in form again.
    await agent.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible', timeout: 15_000 });
    // And the visitor on B hears that nobody is there any more.
    await expect.poll(() => widgetStatus(visitor).textContent(), { timeout: 15_000 }).toBe(AWAY);
  });
});
