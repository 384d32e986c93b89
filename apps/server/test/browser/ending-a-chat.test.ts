import { launchChromium } from '@parley/chromium';
import { hashPassword } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { signInThroughForm } from './sign-in-page.ts';

// Ending a chat, in Chromium, with the real widget on /demo and the real dashboard on /app: each side asks before it
// ends a chat, and each side reads who ended it. Also what the agent's availability switch says, and where the
// visitor reads that their transcript is on its way.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

const OWNER = { email: 'anna@ending.test', name: 'Anna', password: 'a test password for ending chats' };

let browser: Browser;
let server: TestServer;
let accountId: string;
let agent: Page;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  ({ accountId } = await createAccountWithOwner(server.db, {
    organization: 'Ending Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}ending00000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  }));
  browser = await launchChromium();
  agent = await newPage();
  await signInThroughForm(agent, server.running.url, OWNER);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

const widgetOf = (page: Page) => page.locator('parley-widget');

/** A visitor on /demo who opened the chat and sent `text`, and the agent looking at that conversation. */
async function chatting(text: string): Promise<{ visitor: Page; widget: Locator; conversation: Locator }> {
  await expect.poll(() => server.parley.services.presence.count(accountId)).toBe(1);
  const visitor = await newPage();
  await visitor.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
  const widget = widgetOf(visitor);
  await widget.locator('button.launcher').click();
  await expect.poll(() => widget.locator('.status').textContent(), { timeout: 10_000 }).toBe('We’re online');
  await visitor.getByLabel('Your message').fill(text);
  await visitor.getByLabel('Your message').press('Enter');
  await widget.locator('.msg.visitor:not(.pending)').filter({ hasText: text }).waitFor({ state: 'visible' });
  await agent.goto(`${server.running.url}/app#/`);
  await agent.locator('a.conversation-item').filter({ hasText: text }).click();
  const conversation = agent.locator('article.conversation');
  await conversation.locator('.message-visitor').filter({ hasText: text }).waitFor({ state: 'visible' });
  return { visitor, widget, conversation };
}

describe('ending a chat, in Chromium', () => {
  it('the availability switch says Away when it is off and Available when it is on, under one name', async () => {
    const available = agent.getByRole('switch', { name: 'Available' });
    await agent.locator('.switch[aria-checked="true"]:not([disabled])').waitFor({ state: 'attached' });
    expect(await available.textContent()).toBe('Available');
    await available.click();
    await expect.poll(() => available.getAttribute('aria-checked')).toBe('false');
    expect(await available.textContent()).toBe('Away');
    await available.click();
    await expect.poll(() => available.getAttribute('aria-checked')).toBe('true');
    expect(await available.textContent()).toBe('Available');
  });

  it('an agent closes a conversation only after confirming, and the visitor reads that the agent ended it', async () => {
    const { widget, conversation } = await chatting('Can I pick up my order on Friday?');
    const close = conversation.getByRole('button', { name: 'Close conversation' });
    const dialog = agent.getByRole('dialog', { name: 'Close this conversation?' });

    await close.click();
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await conversation.locator('.closed-note').isHidden()).toBe(true);
    expect(await widget.locator('.msg.system').count()).toBe(0);

    await close.click();
    await dialog.getByRole('button', { name: 'Close conversation' }).click();
    await widget
      .locator('.msg.system')
      .filter({ hasText: 'Anna ended the chat.' })
      .waitFor({ state: 'visible' });
    expect(await widget.locator('.status').textContent()).toBe('This chat has ended');
    await expect.poll(() => conversation.locator('.closed-note').textContent()).toBe('You ended the chat.');
  });

  it('a visitor ends the chat only after confirming, reads that they ended it, and the agent reads that the visitor did', async () => {
    const { widget, conversation } = await chatting('That answers it, thank you.');
    await widget.getByRole('button', { name: 'End chat' }).click();
    const question = widget.getByRole('heading', { name: 'End this chat?' });
    await question.waitFor({ state: 'visible' });
    // Cancel keeps the chat going and goes back to where the visitor was.
    await widget.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    expect(await widget.locator('.status').textContent()).not.toBe('This chat has ended');

    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget
      .locator('.msg.system')
      .filter({ hasText: 'You ended the chat.' })
      .waitFor({ state: 'visible' });
    await expect
      .poll(() => conversation.locator('.closed-note').textContent(), { timeout: 10_000 })
      .toBe('The visitor ended the chat.');
  });

  it('the confirmation that a transcript is on its way shows where the visitor asked for it', async () => {
    const { visitor, widget } = await chatting('Please send me a copy of this chat.');
    await widget.getByRole('button', { name: 'Email me the transcript' }).click();
    await visitor.getByRole('textbox', { name: 'Email' }).fill('visitor@example.org');
    await widget.getByRole('button', { name: 'Send transcript' }).click();
    const notice = widget
      .locator('.notice')
      .filter({ hasText: 'The transcript is on its way to your inbox.' });
    await notice.waitFor({ state: 'visible' });
    const box = async (element: Locator) => (await element.boundingBox())!;
    const [said, log, footer] = await Promise.all([
      box(notice),
      box(widget.locator('.log')),
      box(widget.getByRole('button', { name: 'Email me the transcript' })),
    ]);
    // Below the messages and right above the transcript button, not above the messages at the top of the panel.
    expect(said.y).toBeGreaterThanOrEqual(log.y + log.height);
    expect(said.y + said.height).toBeLessThanOrEqual(footer.y);
    const viewport = visitor.viewportSize()!;
    expect(said.y + said.height).toBeLessThanOrEqual(viewport.height);
  });
});
