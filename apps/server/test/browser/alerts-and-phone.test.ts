import { launchChromium } from '@parley/chromium';
import { hashPassword } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX, saveOfflineMessage } from '@parley/db/chat';
import { readRows } from '@parley/db/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { signInThroughForm } from './sign-in-page.ts';

// The dashboard's alerts and keyboard shortcuts on a desktop, and the dashboard on a phone-sized screen (390×844),
// with the real widget on /demo and the real dashboard on /app.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

const OWNER = { email: 'olga@alerts.test', name: 'Olga', password: 'a test password for alerts' };
const PHONE = { width: 390, height: 844 };
/** Each test signs in and drives two browsers; a busy machine may take a while, and only a hang should fail. */
const BROWSER_TEST_MS = 60_000;

let browser: Browser;
let server: TestServer;
let accountId: string;
const contexts: BrowserContext[] = [];

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  ({ accountId } = await createAccountWithOwner(server.db, {
    organization: 'Alerts Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}alerts00000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  }));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

/** A visitor on /demo who opened the chat and sent `text`. */
async function visitorWrites(text: string): Promise<Locator> {
  await expect.poll(() => server.parley.services.presence.count(accountId)).toBeGreaterThan(0);
  const visitor = await newPage();
  await visitor.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
  const widget = visitor.locator('parley-widget');
  await widget.locator('button.launcher').click();
  await expect.poll(() => widget.locator('.status').textContent(), { timeout: 10_000 }).toBe('We’re online');
  await visitor.getByLabel('Your message').fill(text);
  await visitor.getByLabel('Your message').press('Enter');
  await widget.locator('.msg.visitor:not(.pending)').filter({ hasText: text }).waitFor({ state: 'visible' });
  return widget;
}

/** How far the page is wider than the screen, in CSS pixels: 0 when there is nothing to scroll sideways. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('alerts and shortcuts, in Chromium', () => {
  it(
    'counts a waiting chat in the tab title and icon, and Alt+N opens it',
    async () => {
      const agent = await newPage();
      await signInThroughForm(agent, server.running.url, OWNER);
      await expect.poll(() => agent.title()).toBe('Parley');

      await visitorWrites('Is the blue one in stock?');
      await expect.poll(() => agent.title(), { timeout: 10_000 }).toBe('(1) Parley');
      const icon = await agent.locator('link[rel="icon"]').getAttribute('href');
      expect(icon?.startsWith('data:image/svg+xml,')).toBe(true);
      expect(decodeURIComponent(icon ?? '')).toContain('>1</text>');

      await agent.locator('main').click();
      await agent.keyboard.press('Alt+KeyN');
      const conversation = agent.locator('article.conversation');
      await conversation
        .locator('.message-visitor')
        .filter({ hasText: 'Is the blue one in stock?' })
        .waitFor({ state: 'visible' });
      expect(agent.url()).toMatch(/#\/c\//);

      // "?" in the reply box is a question mark; outside it, the list of shortcuts.
      const reply = conversation.locator('textarea');
      await reply.press('?');
      expect(await reply.inputValue()).toBe('?');
      expect(await agent.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
      await reply.fill('');
      await conversation.locator('.conversation-title').focus();
      await agent.keyboard.press('?');
      const help = agent.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor({ state: 'visible' });
      expect(await help.textContent()).toContain('Alt+N');
      await agent.keyboard.press('Escape');
      await help.waitFor({ state: 'detached' });
    },
    BROWSER_TEST_MS,
  );
});

describe('the dashboard on a phone-sized screen, in Chromium', () => {
  it(
    'shows the list or the conversation, never wider than the screen, and a reply can be sent',
    async () => {
      const phone = await newPage(PHONE);
      await signInThroughForm(phone, server.running.url, OWNER);
      const widget = await visitorWrites('Do you ship to Vienna?');

      await phone.goto(`${server.running.url}/app#/`);
      const item = phone.locator('a.conversation-item').filter({ hasText: 'Do you ship to Vienna?' });
      await item.waitFor({ state: 'visible' });
      expect(await phone.getByRole('navigation', { name: 'Sections' }).isHidden()).toBe(true);
      expect(await sidewaysOverflow(phone)).toBe(0);

      await item.click();
      const conversation = phone.locator('article.conversation');
      await conversation
        .locator('.message-visitor')
        .filter({ hasText: 'Vienna' })
        .waitFor({ state: 'visible' });
      expect(await phone.locator('.conversation-list').isHidden()).toBe(true);
      expect(await sidewaysOverflow(phone)).toBe(0);

      await conversation.locator('textarea').fill('Yes, in two to three days.');
      await conversation.locator('textarea').press('Enter');
      await widget
        .locator('.msg.agent')
        .filter({ hasText: 'Yes, in two to three days.' })
        .waitFor({ state: 'visible' });

      // Back to the list, where the chat now shows the reply.
      await conversation.locator('.back-link').click();
      await phone
        .locator('a.conversation-item')
        .filter({ hasText: 'Yes, in two to three days.' })
        .waitFor({ state: 'visible' });
      expect(await conversation.count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );

  it(
    'opens Offline messages from the menu, with their count, never wider than the screen',
    async () => {
      await saveOfflineMessage(server.db, {
        accountId,
        visitorId: null,
        name: 'Piotr',
        email: 'piotr@example.com',
        body: 'Please call me back about an order with a rather long reference number 1234567890123456789.',
        clientKey: 'phone-offline-1',
      });
      const phone = await newPage(PHONE);
      await signInThroughForm(phone, server.running.url, OWNER);
      const menu = phone.getByRole('button', { name: 'Menu' });
      await menu.click();
      const link = phone
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: /Offline messages/ });
      await expect.poll(() => link.textContent()).toContain('1 to answer');
      await link.click();
      await phone.locator('.offline-message').filter({ hasText: 'Piotr' }).waitFor({ state: 'visible' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await sidewaysOverflow(phone)).toBe(0);

      // The answer goes to the visitor by mail, as a reply to their message, and the message is handled.
      await phone.getByLabel('Answer by email to piotr@example.com').fill('We will call you this afternoon.');
      await phone.getByRole('button', { name: 'Send answer' }).click();
      await phone.getByText('Your answer was sent to piotr@example.com.').waitFor({ state: 'visible' });
      const [mail] = await readRows(server.db, 'noticeOutbox', { kind: 'offline_reply' });
      expect(mail?.toEmail).toBe('piotr@example.com');
      expect(mail?.body).toContain('We will call you this afternoon.');
      expect(mail?.headers['In-Reply-To']).toMatch(/^<off_.+@parley\.local>$/);
      await expect.poll(() => link.locator('.badge').isHidden()).toBe(true);
    },
    BROWSER_TEST_MS,
  );
});
