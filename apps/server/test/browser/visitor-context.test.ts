import { launchChromium } from '@parley/chromium';
import { hashPassword, listWebsites, updateWebsite } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { FIXTURE_PASSWORD } from '@parley/db/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { browserPages } from './browser-pages.ts';
import { signInThroughForm } from './sign-in-page.ts';

// End to end in Chromium: the demo shop's website shows its agents every item of context about a visitor. A visitor
// in a plain browser gives the agent their pages, local time, country and browser; a visitor whose browser sends
// Global Privacy Control gives the agent none of it, though the website asks for all of it.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;
const OWNER = { email: 'carla@context-shop.test', name: 'Carla', password: FIXTURE_PASSWORD };
const EVERY_ITEM = { pages: true, localTime: true, country: true, browser: true, history: true };

let browser: Browser;
let server: TestServer;
const pages = browserPages(() => browser);

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  const publicKey = `${DEMO_PUBLIC_KEY_PREFIX}context00000000000000`;
  const shop = await createAccountWithOwner(server.db, {
    organization: 'Context Shop',
    region: 'DE',
    publicKey,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  });
  // The website the account starts with, which its own key names.
  const [website] = await listWebsites(server.db, shop.accountId);
  if (!website) throw new Error('a new account should start with a website');
  await updateWebsite(server.db, shop.accountId, website.id, { ...website, context: EVERY_ITEM });
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

/** The owner, signed in to the dashboard and available for chats. */
async function availableAgent(): Promise<Page> {
  const { page } = await pages.newPage({ viewport: { width: 1400, height: 900 } });
  await signInThroughForm(page, server.running.url, OWNER);
  const available = page.getByRole('switch', { name: 'Available' });
  await expect.poll(() => available.isEnabled()).toBe(true);
  if ((await available.getAttribute('aria-checked')) !== 'true') await available.click();
  await expect.poll(() => available.getAttribute('aria-checked')).toBe('true');
  return page;
}

/**
 * A visitor opens the demo shop in a browser of their own (English of Austria for their language, Vienna for their
 * time zone), writes `text`, and moves to another page of the shop.
 */
async function visitorWrites(text: string, options: { gpc: boolean }): Promise<void> {
  const { page } = await pages.newPage({ locale: 'en-AT', timezoneId: 'Europe/Vienna' });
  if (options.gpc)
    await page.context().addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
        get: () => true,
        configurable: true,
      });
    });
  await page.goto(`${server.running.url}/demo?order=4711`, { waitUntil: 'load' });
  await page.locator('parley-widget button.launcher').click();
  const input = page.getByLabel('Your message');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await input.press('Enter');
  await page
    .locator('parley-widget .msg.visitor:not(.pending)')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout: 10_000 });
  // A single-page app moving on, as a shop's page would tell the widget.
  await page.evaluate(() =>
    (window as unknown as { Parley: (command: string, url: string) => void }).Parley(
      'navigate',
      '/demo/orders/12345678/track?token=secret',
    ),
  );
}

/** The agent opens the conversation in which `text` was written; returns the panel beside it about the visitor. */
async function detailsBeside(agent: Page, text: string): Promise<Locator> {
  const item = agent.locator('a.conversation-item').filter({ hasText: text });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  const details = agent.locator('article.conversation .visitor-details');
  await details.waitFor({ state: 'visible', timeout: 10_000 });
  return details;
}

describe('the visitor in context', () => {
  it('shows the agent the context of a visitor without a privacy signal, as the website chose', async () => {
    const agent = await availableAgent();
    await visitorWrites('Where is my parcel? (plain browser)', { gpc: false });
    const details = await detailsBeside(agent, '(plain browser)');
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain('/demo/orders/:id/track');
    const said = (await details.textContent()) ?? '';
    expect(said).toContain('Pages visited');
    expect(said).toContain('(Europe/Vienna)');
    expect(said).toContain('(AT)');
    expect(said).toMatch(/Chrome on Linux/);
    expect(said).not.toContain('4711');
    expect(said).not.toContain('12345678');
    expect(said).not.toContain('secret');
  });

  it('SIG-1: shows the agent none of it for a visitor whose browser sends Global Privacy Control', async () => {
    const agent = await availableAgent();
    await visitorWrites('Where is my parcel? (private browser)', { gpc: true });
    const said = (await (await detailsBeside(agent, '(private browser)')).textContent()) ?? '';
    expect(said).toContain('Context Shop');
    expect(said).not.toMatch(/Pages visited|Local time|Country|Browser|Language|Europe\/Vienna|\/demo/);
  });
});
