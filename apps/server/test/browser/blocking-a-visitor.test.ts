import { launchChromium } from '@parley/chromium';
import { hashPassword } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { readRows } from '@parley/db/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { signInThroughForm } from './sign-in-page.ts';

// SEC-1, in Chromium, with the real widget on /demo and the real dashboard on /app: an agent blocks an unwanted
// visitor from their chat, and the visitor's widget says only that chat is not available, then and after a reload;
// and an agent reports a chat as spam, which leaves the inbox for the history's spam filter until "Not spam".

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

const OWNER = {
  email: 'olga@blocking.test',
  name: 'Olga',
  password: 'a test password for blocking visitors',
};
const UNAVAILABLE = 'Chat is not available right now.';
const ENDED = 'This chat has ended';

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
    organization: 'Blocking Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}blocking000000000000`,
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

/** Opens the chat on /demo and waits for the widget to say whether anyone is there. */
async function openChat(visitor: Page): Promise<Locator> {
  await visitor.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
  const widget = visitor.locator('parley-widget');
  await widget.locator('button.launcher').click();
  return widget;
}

/** A new visitor sends `text` once the widget says agents are online, and the agent opens that chat from the inbox. */
async function chatAndOpen(text: string): Promise<{ visitor: Page; widget: Locator; conversation: Locator }> {
  const visitor = await newPage();
  const widget = await openChat(visitor);
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

describe('blocking a visitor, in Chromium', () => {
  it('the agent blocks after choosing a period and confirming; the widget says chat is not available, also after a reload', async () => {
    await expect.poll(() => server.parley.services.presence.count(accountId)).toBe(1);
    const { visitor, widget, conversation } = await chatAndOpen('Buy cheap watches at this link!');
    await conversation.getByRole('button', { name: 'Block visitor' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Block this visitor?' });
    await dialog.waitFor({ state: 'visible' });
    // Only the periods the policy allows are offered, the longest chosen first.
    const period = dialog.getByLabel('Block for');
    expect(await period.locator('option').allTextContents()).toEqual(['1 day', '7 days', '30 days']);
    expect(await period.inputValue()).toBe('30');
    await period.selectOption('7');
    await dialog.getByLabel('Reason (optional; only your team sees it)').fill('Spam links');
    await dialog.getByRole('button', { name: 'Block' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The visitor's socket closes at once, and the widget does not try again.
    await expect.poll(() => widget.locator('.status').textContent(), { timeout: 10_000 }).toBe(UNAVAILABLE);
    await expect.poll(() => conversation.locator('.closed-note').isVisible(), { timeout: 10_000 }).toBe(true);

    // A reload starts no new chat: the widget is refused before it can offer the message box.
    const again = await openChat(visitor);
    await expect.poll(() => again.locator('.status').textContent(), { timeout: 10_000 }).toBe(UNAVAILABLE);
    await again.locator('p.hint').filter({ hasText: UNAVAILABLE }).waitFor({ state: 'visible' });
    expect(await visitor.getByLabel('Your message').isVisible()).toBe(false);
    const [block] = await readRows(server.db, 'visitorBlocks', { accountId });
    expect(block).toMatchObject({ reason: 'Spam links', network: '127.0.0.0/24' });
    expect(block!.expiresAt - block!.createdAt).toBe(7 * 86_400_000);
  });

  it('the owner lifts the block from the account page, and the visitor can chat again', async () => {
    await agent.goto(`${server.running.url}/app#/account`);
    const blocked = agent
      .locator('section.card')
      .filter({ has: agent.getByRole('heading', { name: 'Blocked visitors' }) });
    const row = blocked.locator('tbody tr');
    await row.first().waitFor({ state: 'visible' });
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('Spam links');
    await row.first().getByRole('button', { name: 'Lift the block on Unnamed visitor' }).click();
    await blocked.getByText('No visitor is blocked.').waitFor({ state: 'visible' });

    const visitor = await newPage();
    const widget = await openChat(visitor);
    await expect
      .poll(() => widget.locator('.status').textContent(), { timeout: 10_000 })
      .toBe('We’re online');
    expect(await readRows(server.db, 'auditLog', { action: 'visitor.unblocked' })).toHaveLength(1);
  });

  it('the agent reports a chat as spam: it leaves the inbox, shows under the spam filter, and Not spam returns it to the history', async () => {
    await agent.goto(`${server.running.url}/app#/history`);
    const history = agent
      .locator('section.card')
      .filter({ has: agent.getByRole('heading', { name: 'Closed conversations' }) });
    const row = history.locator('tbody tr');
    await row.first().waitFor({ state: 'visible' });
    const closedBefore = await row.count();
    const blocksBefore = (await readRows(server.db, 'visitorBlocks', { accountId })).length;

    const text = 'Cheap followers, click here!';
    const { widget, conversation } = await chatAndOpen(text);
    const item = agent.locator('a.conversation-item').filter({ hasText: text });
    await conversation.getByRole('button', { name: 'Report spam' }).click();
    const dialog = agent.getByRole('dialog', { name: 'Report this conversation as spam?' });
    await dialog.waitFor({ state: 'visible' });
    // Blocking as well is offered, with the policy's periods once chosen; left unchosen here.
    expect(await dialog.getByLabel('Also block this visitor').isChecked()).toBe(false);
    expect(await dialog.getByLabel('Block for').isVisible()).toBe(false);
    await dialog.getByLabel('Also block this visitor').check();
    expect(await dialog.getByLabel('Block for').isVisible()).toBe(true);
    await dialog.getByLabel('Also block this visitor').uncheck();
    await dialog.getByRole('button', { name: 'Report spam' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The chat ends for the visitor and leaves the inbox.
    await item.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => widget.locator('.status').textContent(), { timeout: 10_000 }).toBe(ENDED);
    expect(await readRows(server.db, 'visitorBlocks', { accountId })).toHaveLength(blocksBefore);

    // The history leaves it out, and its spam filter shows it alone.
    await agent.goto(`${server.running.url}/app#/history`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(closedBefore);
    await history.getByLabel('Show only conversations reported as spam').check();
    const notSpam = history.getByRole('button', { name: 'Not spam' });
    await notSpam.waitFor({ state: 'visible' });
    expect(await row.count()).toBe(1);
    await notSpam.click();
    await history.getByText('No conversation is reported as spam.').waitFor({ state: 'visible' });

    // Back in the history, where it is an ordinary closed chat again.
    await history.getByLabel('Show only conversations reported as spam').uncheck();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(closedBefore + 1);
    expect(await history.getByRole('button', { name: 'Not spam' }).count()).toBe(0);
    expect(await readRows(server.db, 'auditLog', { action: 'conversation.spam_cleared' })).toHaveLength(1);
    // A longer walk than most: the limit is there only to fail a hang.
  }, 60_000);
});
