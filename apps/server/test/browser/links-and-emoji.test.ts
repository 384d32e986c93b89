import { LINK_REL } from '@parley/protocol/linkify';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoChat, startDemoChat } from './demo-chat.ts';

// Links, emoji and times in a chat, in Chromium, with the real widget on /demo and the real dashboard on /app: a
// link either side writes opens in a new tab without access to the chat, only http, https and mailto become links,
// the agent picks an emoji from a palette by keyboard, and each message tells when it was written.

const OWNER = { email: 'lina@links.test', name: 'Lina', password: 'a test password for links and emoji' };

let chat: DemoChat;
let agent: Page;
const chatting = (text: string) => chat.chatting(text);

beforeAll(async () => {
  chat = await startDemoChat('Link Shop', 'links', OWNER);
  agent = chat.agent;
});

afterAll(async () => {
  await chat?.close();
});

/** Every link in `within`: where it leads, what it shows and how it opens. */
const linksIn = (within: Locator) =>
  within.locator('a').evaluateAll((links) =>
    links.map((link) => ({
      href: link.getAttribute('href'),
      text: link.textContent,
      target: link.getAttribute('target'),
      rel: link.getAttribute('rel'),
    })),
  );

describe('links, emoji and times, in Chromium', () => {
  it('a link in an agent’s message is clickable in the widget, opens apart from the page, and hostile text stays text', async () => {
    const { visitor, widget, conversation } = await chatting('Where can I read your shipping terms?');
    const reply = agent.getByLabel('Reply', { exact: true });
    const text =
      'See https://shop.example/terms. Not javascript:alert(1) nor data:text/html,x "><script>alert(2)</script>';
    await reply.fill(text);
    await reply.press('Enter');

    const message = widget.locator('.msg.agent .text').filter({ hasText: 'shop.example' });
    await message.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await message.textContent()).toBe(text);
    expect(await linksIn(message)).toEqual([
      {
        href: 'https://shop.example/terms',
        text: 'https://shop.example/terms',
        target: '_blank',
        rel: LINK_REL,
      },
    ]);
    expect(await message.locator('script').count()).toBe(0);

    // Clicking it opens a new tab that cannot reach back into the customer's page.
    await visitor
      .context()
      .route('https://shop.example/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Terms</title>' }),
      );
    const [opened] = await Promise.all([
      visitor.context().waitForEvent('page'),
      message.getByRole('link', { name: 'https://shop.example/terms' }).click(),
    ]);
    await opened.waitForLoadState('domcontentloaded');
    expect(opened.url()).toBe('https://shop.example/terms');
    expect(await opened.evaluate(() => window.opener)).toBeNull();
    await opened.close();

    // The agent's own copy in the dashboard has the same link.
    const sent = conversation
      .locator('.message-agent:not(.message-pending) .message-text')
      .filter({ hasText: 'See ' });
    await sent.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await linksIn(sent)).toEqual([
      {
        href: 'https://shop.example/terms',
        text: 'https://shop.example/terms',
        target: '_blank',
        rel: LINK_REL,
      },
    ]);
  });

  it('a visitor’s address is a link in the dashboard, with trailing punctuation left out', async () => {
    const { conversation } = await chatting(
      'My order: www.example.com/orders/42, or mail me at mailto:me@example.com.',
    );
    const message = conversation.locator('.message-visitor .message-text').filter({ hasText: 'My order' });
    expect(await linksIn(message)).toEqual([
      {
        href: 'https://www.example.com/orders/42',
        text: 'www.example.com/orders/42',
        target: '_blank',
        rel: LINK_REL,
      },
      { href: 'mailto:me@example.com', text: 'mailto:me@example.com', target: '_blank', rel: LINK_REL },
    ]);
  });

  it('the agent picks an emoji from the palette by keyboard, and it goes in where the caret is', async () => {
    const { widget } = await chatting('Is the blue teapot back in stock?');
    const reply = agent.getByLabel('Reply', { exact: true });
    await reply.fill('Yes, it is!');
    // The caret after "Yes,": the emoji goes there, not at the end.
    await reply.evaluate((box: HTMLTextAreaElement) => box.setSelectionRange(4, 4));
    const toggle = agent.getByRole('button', { name: 'Insert an emoji' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await agent.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const palette = agent.getByRole('group', { name: 'Emoji choice' });
    expect(await palette.getByRole('button').count()).toBe(24);
    // Focus starts on the first emoji; the arrow keys move through the grid of eight a row.
    await agent.keyboard.press('ArrowRight');
    await agent.keyboard.press('ArrowLeft');
    await agent.keyboard.press('ArrowDown');
    const chosen = await agent.evaluate(() => document.activeElement?.textContent);
    expect(chosen).toBe('👍');
    await agent.keyboard.press('Enter');
    await expect.poll(() => palette.isVisible()).toBe(false);
    expect(await reply.inputValue()).toBe('Yes,👍 it is!');
    expect(await agent.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reply');

    // Escape closes the palette and gives focus back to its button.
    await toggle.click();
    await palette.waitFor({ state: 'visible' });
    await agent.keyboard.press('Escape');
    await expect.poll(() => palette.isVisible()).toBe(false);
    expect(await toggle.evaluate((button) => button === document.activeElement)).toBe(true);

    await reply.press('Enter');
    await widget
      .locator('.msg.agent .text')
      .filter({ hasText: 'Yes,👍 it is!' })
      .waitFor({ state: 'visible' });
  });

  it('each message in the widget says when it was written, with the full date on hover', async () => {
    const { widget } = await chatting('What time do you open on Saturdays?');
    const time = widget.locator('.msg.visitor .meta time').first();
    await time.waitFor({ state: 'visible' });
    const { datetime, title, shown } = await time.evaluate((element) => ({
      datetime: element.getAttribute('datetime') ?? '',
      title: element.getAttribute('title') ?? '',
      shown: element.textContent ?? '',
    }));
    expect(Number.isNaN(Date.parse(datetime))).toBe(false);
    // Today's message shows its time alone; the title adds the weekday and the year.
    expect(shown).toMatch(/^\d{1,2}:\d{2}( [AP]M)?$/);
    expect(title).toContain(String(new Date(datetime).getFullYear()));
    expect(title).toContain(shown);
  });
});
