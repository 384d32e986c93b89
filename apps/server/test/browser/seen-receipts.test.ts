import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoChat, startDemoChat } from './demo-chat.ts';

// Seen receipts in Chromium, with the real widget on /demo and the real dashboard on /app: each side shows "Seen"
// under its own message the other side has seen, the widget tells only while its panel is open, and both sides show
// it again after a reload.

const OWNER = { email: 'sena@seen.test', name: 'Sena', password: 'a test password for seen receipts' };

let chat: DemoChat;
let agent: Page;

beforeAll(async () => {
  chat = await startDemoChat('Seen Shop', 'seen', OWNER);
  agent = chat.agent;
});

afterAll(async () => {
  await chat?.close();
});

async function reply(text: string): Promise<void> {
  const box = agent.getByLabel('Reply', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

describe('seen receipts, in Chromium', () => {
  it('each side sees "Seen" under its message the other saw, the widget only with its panel open', async () => {
    const { visitor, widget, conversation } = await chat.chatting('Do you have the vase in blue?');
    // The agent has the conversation open on a visible tab: the visitor's message is seen.
    const visitorSeen = widget.locator('.msg.visitor .seen');
    await visitorSeen.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await visitorSeen.textContent()).toBe('Seen');
    expect(
      await widget
        .locator('.msg.visitor')
        .filter({ has: visitor.locator('.seen') })
        .textContent(),
    ).toContain('Do you have the vase in blue?');

    // The visitor has the panel open: the agent's answer is seen, with the time.
    await reply('Yes, in two shades.');
    const agentSeen = conversation.locator('.message-agent .message-seen');
    await agentSeen.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await agentSeen.textContent()).toMatch(/^Seen \d/);
    const seenMessage = conversation
      .locator('.message-agent')
      .filter({ has: agent.locator('.message-seen') });
    expect(await seenMessage.textContent()).toContain('Yes, in two shades.');

    // With the panel closed, a new answer reaches the widget but is not seen until the visitor opens it again.
    await widget.getByRole('button', { name: 'Close chat' }).first().click();
    await reply('Shall I put one aside?');
    await widget
      .locator('.msg.agent')
      .filter({ hasText: 'Shall I put one aside?' })
      .waitFor({ state: 'attached' });
    expect(await seenMessage.textContent()).toContain('Yes, in two shades.');
    await widget.locator('button.launcher').click();
    await conversation
      .locator('.message-agent')
      .filter({ hasText: 'Shall I put one aside?' })
      .locator('.message-seen')
      .waitFor({ state: 'visible', timeout: 10_000 });
    expect(await agentSeen.count()).toBe(1);

    // Both sides show the receipts again after a reload.
    await agent.reload();
    await conversation
      .locator('.message-agent')
      .filter({ hasText: 'Shall I put one aside?' })
      .locator('.message-seen')
      .waitFor({ state: 'visible', timeout: 10_000 });
    await visitor.reload();
    await widget.locator('button.launcher').click();
    await widget.locator('.msg.visitor .seen').waitFor({ state: 'visible', timeout: 10_000 });
  }, 60_000);
});
