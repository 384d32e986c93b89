import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import { hashPassword } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { signIn, startTestServer, type TestServer, TestSocket } from '../../src/testing/test-app.ts';

// The real widget and dashboard builds, served by the real server, in Chromium: the strict CSP breaks nothing, no
// request leaves the server's origin, no cookie exists before the visitor acts, a chat goes both ways, and the
// dashboard's Secure, HttpOnly session cookie works on http://127.0.0.1.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

const OWNER = { email: 'browser-owner@example.com', password: 'a browser test password' };

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  await createAccountWithOwner(server.db, {
    organization: 'Browser Demo',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}browser00000000000000`,
    owner: { email: OWNER.email, name: 'Bea', passwordHash: await hashPassword(OWNER.password) },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records CSP violations, console errors and every request's origin. */
async function open(
  path: string,
): Promise<{ context: BrowserContext; page: Page; violations: string[]; origins: Set<string> }> {
  const context = await browser.newContext();
  await recordCspViolations(context);
  const page = await context.newPage();
  const origins = new Set<string>();
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  await page.goto(`${server.running.url}${path}`, { waitUntil: 'networkidle' });
  return { context, page, violations: await cspViolations(page), origins };
}

describe('in Chromium', () => {
  it('CK-7, SEC-1: the demo page loads the widget under the strict CSP, from this origin only, without cookies', async () => {
    const { context, page, violations, origins } = await open('/demo');
    expect(violations).toEqual([]);
    expect([...origins]).toEqual([server.running.url]);
    await page.locator('button.launcher').waitFor({ state: 'visible' });
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('carries a chat from the widget on the demo page to an agent and back', async () => {
    const session = await signIn(
      { request: (path, init) => Promise.resolve(server.parley.app.request(path, init)) },
      OWNER.email,
      { password: OWNER.password },
    );
    const agent = new TestSocket(`${server.wsUrl}/ws/agent`, {
      origin: server.running.url,
      cookie: session.cookie,
    });
    await agent.next('snapshot');

    const { context, page } = await open('/demo');
    await page.locator('button.launcher').click();
    const input = page.getByLabel('Your message');
    await input.fill('Hello from Chromium');
    await input.press('Enter');
    const { message } = await agent.next<{ message: { conversationId: string; text: string } }>(
      'message',
      () => true,
      15_000,
    );
    expect(message.text).toBe('Hello from Chromium');

    agent.send({
      type: 'send',
      key: 'key_browser_reply',
      conversationId: message.conversationId,
      text: 'Hello, Chromium!',
    });
    await page.getByText('Hello, Chromium!').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await cspViolations(page)).toEqual([]);
    agent.close();
    await context.close();
  });

  it('CK-1: the dashboard loads under the CSP, and its Secure, HttpOnly session cookie works on http://127.0.0.1', async () => {
    const { context, page, violations, origins } = await open('/app');
    expect(violations).toEqual([]);
    expect([...origins]).toEqual([server.running.url]);
    const status = await page.evaluate(async (owner) => {
      const response = await fetch('/app/api/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...owner, rememberEmail: false }),
      });
      return response.status;
    }, OWNER);
    expect(status).toBe(200);
    const cookie = (await context.cookies()).find((c) => c.name === 'parley_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const me = await page.evaluate(async () => (await fetch('/app/api/me')).status);
    expect(me).toBe(200);
    // Signed in, the dashboard opens its socket: connect-src allows it, and the server takes it.
    const snapshot = new Promise<unknown>((resolve) => {
      page.on('websocket', (ws) => {
        if (!ws.url().endsWith('/ws/agent')) return;
        ws.on('framereceived', (frame) => {
          const data = JSON.parse(String(frame.payload)) as { type: string };
          if (data.type === 'snapshot') resolve(data);
        });
      });
    });
    await page.reload();
    expect(await snapshot).toMatchObject({ type: 'snapshot', agent: { name: 'Bea' } });
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });
});
