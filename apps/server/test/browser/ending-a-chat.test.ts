import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoChat, startDemoChat } from './demo-chat.ts';

// Ending a chat, in Chromium, with the real widget on /demo and the real dashboard on /app: each side asks before it
// ends a chat, and each side reads who ended it. Also what the agent's availability switch says, and where the
// visitor reads that their transcript is on its way.

const OWNER = { email: 'anna@ending.test', name: 'Anna', password: 'a test password for ending chats' };

let chat: DemoChat;
let agent: Page;
const chatting = (text: string) => chat.chatting(text);

beforeAll(async () => {
  chat = await startDemoChat('Ending Shop', 'ending', OWNER);
  agent = chat.agent;
});

afterAll(async () => {
  await chat?.close();
});

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
