import type { IncomingMessage, ServerResponse } from 'node:http';
import { launchChromium } from '@parley/chromium';
import { hashPassword, totpCode } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { axeViolations } from './axe.ts';
import { signInThroughForm } from './sign-in-page.ts';

// axe-core in Chromium over what visitors and agents actually see: the demo page with the widget open, and every
// view of the dashboard an owner signs in to. Every rule of WCAG 2.x A and AA runs, plus axe's best practices
// (landmarks, headings), so a second banner or a missing h1 fails here before anyone with a screen reader meets it.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

const OWNER = { email: 'axe-owner@example.com', name: 'Anna', password: 'an accessibility test password' };
const VISITOR_MESSAGE = 'Hello, can I still change my order?';

let browser: Browser;
let server: TestServer;
let accountId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  // Sign-up open, so that its page shows its form.
  server = await startTestServer({ assets, config: { signup: 'open' } });
  ({ accountId } = await createAccountWithOwner(server.db, {
    organization: 'Axe Garden Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}axe000000000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  }));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

const VIEWS = [
  { hash: '#/messages', heading: 'Offline messages' },
  { hash: '#/history', heading: 'History' },
  { hash: '#/team', heading: 'Team' },
  { hash: '#/websites', heading: 'Websites' },
  { hash: '#/account', heading: 'Account' },
  { hash: '#/privacy', heading: 'Privacy requests' },
  { hash: '#/stats', heading: 'Stats' },
  { hash: '#/profile', heading: 'Your profile' },
  { hash: '#/support', heading: 'Support' },
] as const;

describe('accessibility in Chromium', () => {
  let agent: Page;

  beforeAll(async () => {
    agent = await newPage();
    await signInThroughForm(agent, server.running.url, OWNER);
    // A new owner starts available, so the visitor's chat reaches the inbox.
    await agent.locator('.switch[aria-checked="true"]:not([disabled])').waitFor({ state: 'attached' });
  });

  it('the demo page with the widget open and a message sent has no axe violations, and a single banner', async () => {
    const page = await newPage();
    await page.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
    const launcher = page.locator('parley-widget button.launcher');
    // The widget asks the server whether anyone is online: wait until the server has taken the agent's switch.
    await expect.poll(() => server.parley.services.presence.count(accountId)).toBe(1);
    await launcher.click();
    const input = page.getByLabel('Your message');
    await input.fill(VISITOR_MESSAGE);
    await input.press('Enter');
    await page.locator('parley-widget .msg.visitor:not(.pending)').waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
    // The launcher is no longer loading once the chat is there.
    expect(await launcher.getAttribute('aria-busy')).toBeNull();
    expect(await page.getByRole('banner').count()).toBe(1);
  });

  it('the inbox, empty and with a conversation open, has an h1 and no axe violations', async () => {
    await agent.goto(`${server.running.url}/app#/`, { waitUntil: 'load' });
    await agent.locator('.conversation-group').first().waitFor({ state: 'visible' });
    expect(await agent.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['Inbox']);
    expect(await axeViolations(agent)).toEqual([]);
    const item = agent.locator('a.conversation-item').filter({ hasText: VISITOR_MESSAGE });
    await item.click();
    await agent.locator('article.conversation .message-visitor').first().waitFor({ state: 'visible' });
    expect(await axeViolations(agent)).toEqual([]);
    // The question before closing it, as a modal dialog.
    await agent.getByRole('button', { name: 'Close conversation' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Close this conversation?' });
    await dialog.waitFor({ state: 'visible' });
    expect(await axeViolations(agent)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it.each(VIEWS)('$hash has its h1 and no axe violations', async ({ hash, heading }) => {
    await agent.goto(`${server.running.url}/app${hash}`, { waitUntil: 'load' });
    await agent.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'visible' });
    // Lists and tables load after the heading: wait until no view still says it is loading.
    await expect.poll(() => agent.getByText(/^Loading/).count(), { timeout: 10_000 }).toBe(0);
    expect(await axeViolations(agent)).toEqual([]);
  });

  it('RET-2: the sign-in page and the forgotten-password page, signed out, have an h1 and no axe violations', async () => {
    const page = await newPage();
    await page.goto(`${server.running.url}/app#/`, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Forgot your password?' })
      .waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the widget asking whether to end the chat, and the ended chat asking for a rating, have no axe violations', async () => {
    const page = await newPage();
    await page.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
    const widget = page.locator('parley-widget');
    await widget.locator('button.launcher').click();
    await page.getByLabel('Your message').fill('One more question, then I am done.');
    await page.getByLabel('Your message').press('Enter');
    await widget.locator('.msg.visitor:not(.pending)').waitFor({ state: 'visible' });
    await widget.getByRole('button', { name: 'Email me the transcript' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('heading', { name: 'End this chat?' }).waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('group', { name: 'How was this chat?' }).waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('COL-1: the sign-up form, the confirmation page and the setup page have no axe violations', async () => {
    const page = await newPage();
    await page.goto(`${server.running.url}/signup`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Sign up' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.running.url}/signup/confirm`, { waitUntil: 'load' });
    await page.getByText('needs the whole link').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.running.url}/setup`, { waitUntil: 'load' });
    await page.getByText('This page needs the setup link').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it.each(['/demo', '/app'])(
    '%s: the icon the browser asks for is there, and nothing it asks for is missing',
    async (path) => {
      // Chromium fetches the page's icon itself, outside the page's own requests: the server sees every one.
      const answered: string[] = [];
      const record = (request: IncomingMessage, response: ServerResponse) =>
        response.on('finish', () => answered.push(`${response.statusCode} ${request.url}`));
      server.running.server.on('request', record);
      const page = await newPage();
      await page.goto(`${server.running.url}${path}`, { waitUntil: 'load' });
      await expect
        .poll(() => answered.filter((hit) => hit.includes('/favicon.')), { timeout: 10_000 })
        .not.toEqual([]);
      server.running.server.off('request', record);
      expect(answered.filter((hit) => hit.includes('/favicon.'))).toEqual(['200 /favicon.ico']);
      expect(answered.filter((hit) => hit.startsWith('404 '))).toEqual([]);
    },
  );

  // Last, since the owner then signs in with a code.
  it('SEC-1: setting up a second factor, the recovery codes and the code step of sign-in have no axe violations', async () => {
    await agent.goto(`${server.running.url}/app#/profile`, { waitUntil: 'load' });
    await agent.getByRole('button', { name: 'Set up a second factor' }).click();
    await agent.getByRole('img', { name: 'QR code of your second-factor key' }).waitFor({ state: 'visible' });
    expect(await axeViolations(agent)).toEqual([]);
    const secret = (await agent.locator('code.secret').textContent()) ?? '';
    await agent.getByLabel('Code from the app').fill(totpCode(secret, Date.now()));
    await agent.getByRole('button', { name: 'Turn on' }).click();
    await agent.getByRole('list', { name: 'Recovery codes' }).waitFor({ state: 'visible' });
    expect(await axeViolations(agent)).toEqual([]);

    const page = await newPage();
    await page.goto(`${server.running.url}/app#/`, { waitUntil: 'load' });
    await page.getByRole('textbox', { name: 'Email' }).fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  });
});
