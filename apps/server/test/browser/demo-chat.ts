import { launchChromium } from '@parley/chromium';
import { hashPassword } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { signInThroughForm } from './sign-in-page.ts';

/**
 * A chat in Chromium between the real widget on /demo and the real dashboard on /app: a server with a demo account,
 * its owner signed in to the dashboard in a browser context of their own, and a fresh context for each visitor.
 */
export interface DemoChat {
  server: TestServer;
  accountId: string;
  /** The owner's dashboard tab. */
  agent: Page;
  /** A visitor on /demo who opened the chat and sent `text`, and the agent looking at that conversation. */
  chatting(text: string): Promise<{ visitor: Page; widget: Locator; conversation: Locator }>;
  close(): Promise<void>;
}

export async function startDemoChat(
  organization: string,
  /** Makes the demo account's public key unique to the test file: letters and digits. */
  keyName: string,
  owner: { email: string; name: string; password: string },
): Promise<DemoChat> {
  const { assets } = locateAssets();
  if (assets.widget === null || assets.dashboard === null)
    throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  const server = await startTestServer({ assets });
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server.close();
  };
  try {
    const { accountId } = await createAccountWithOwner(server.db, {
      organization,
      region: 'DE',
      publicKey: `${DEMO_PUBLIC_KEY_PREFIX}${keyName.padEnd(20, '0')}`,
      owner: { email: owner.email, name: owner.name, passwordHash: await hashPassword(owner.password) },
    });
    const chromium = await launchChromium();
    browser = chromium;
    const newPage = async (): Promise<Page> => {
      const context = await chromium.newContext();
      contexts.push(context);
      return context.newPage();
    };
    const agent = await newPage();
    await signInThroughForm(agent, server.running.url, owner);

    const chatting = async (text: string) => {
      await expect.poll(() => server.parley.services.presence.count(accountId)).toBe(1);
      const visitor = await newPage();
      await visitor.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
      const widget = visitor.locator('parley-widget');
      await widget.locator('button.launcher').click();
      await expect
        .poll(() => widget.locator('.status').textContent(), { timeout: 10_000 })
        .toBe('We’re online');
      await visitor.getByLabel('Your message').fill(text);
      await visitor.getByLabel('Your message').press('Enter');
      await widget
        .locator('.msg.visitor:not(.pending)')
        .filter({ hasText: text })
        .waitFor({ state: 'visible' });
      await agent.goto(`${server.running.url}/app#/`);
      await agent.locator('a.conversation-item').filter({ hasText: text }).click();
      const conversation = agent.locator('article.conversation');
      await conversation.locator('.message-visitor').filter({ hasText: text }).waitFor({ state: 'visible' });
      return { visitor, widget, conversation };
    };
    return { server, accountId, agent, chatting, close };
  } catch (error) {
    await close();
    throw error;
  }
}
