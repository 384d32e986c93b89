import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@parley/chromium';
import type { ChatSettings, LauncherSettings } from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../scripts/build.ts';
import { STRINGS } from '../../src/all-languages.ts';
import { type FakeChatServer, startFakeChatServer } from '../fake-chat-server.ts';

// In Chromium, against the fake chat server: a website's own launcher with its settings, the languages a browser
// asks for, and the page's Parley(…) API. Nothing may be requested or stored before the visitor acts (CK-7).

const WEBSITES: Record<string, LauncherSettings> = {
  pk_tea: {
    key: 'pk_tea',
    color: '#ffd400',
    position: 'left',
    label: 'Questions? Ask us',
    languages: ['en', 'de', 'pl'],
    // The server writes in the text colour readable on the website's colour (theme.ts): yellow needs dark text.
    onColor: '#111111',
  },
  pk_plain: {
    key: 'pk_plain',
    color: '#0f4c81',
    position: 'right',
    label: null,
    languages: ['fr', 'en'],
    onColor: '#fff',
  },
  // A proactive greeting on the demo page, and one for another page only.
  pk_greet: {
    key: 'pk_greet',
    color: '#0f4c81',
    position: 'right',
    label: 'Chat',
    languages: ['en'],
    onColor: '#fff',
    greet: { path: '^\\/demo\\/?$', after: 0, text: 'Looking for a green tea? Ask us!' },
  },
  pk_elsewhere: {
    key: 'pk_elsewhere',
    color: '#0f4c81',
    position: 'right',
    label: null,
    languages: ['en'],
    greet: { path: '^\\/pricing\\/?$', after: 0, text: 'Questions about prices?' },
  },
};
const CHAT_SETTINGS: Record<string, ChatSettings> = {
  pk_tea: {
    greeting: 'Welcome to the tea shop! Ask us about green tea.',
    preChat: { name: 'required', email: 'required' },
    transcripts: false,
    ratings: true,
  },
  pk_plain: {
    greeting: null,
    preChat: { name: 'required', email: 'off' },
    transcripts: true,
    ratings: true,
  },
  pk_greet: {
    greeting: 'Welcome! How can we help?',
    preChat: { name: 'off', email: 'off' },
    transcripts: true,
    ratings: true,
  },
};

let outdir: string;
let fake: FakeChatServer;
let browser: Browser;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'parley-widget-browser-'));
  await buildWidget(outdir);
  fake = await startFakeChatServer({
    distDir: outdir,
    websites: WEBSITES,
    chatSettings: (account) => CHAT_SETTINGS[account],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  rmSync(outdir, { recursive: true, force: true });
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every request the page made to the chat server, as paths. */
  requests: string[];
}

async function visit(query: string, locale = 'en-US'): Promise<Visit> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === fake.url.replace('localhost', '127.0.0.1') || url.origin === fake.url)
      requests.push(url.pathname);
  });
  page.on('websocket', (socket) => requests.push(new URL(socket.url()).pathname));
  await page.goto(`${fake.url}/demo?${query}`, { waitUntil: 'load' });
  await page.locator('parley-widget button.launcher').waitFor();
  return { context, page, requests };
}

const launcher = (page: Page) => page.locator('parley-widget button.launcher');
const panel = (page: Page) => page.locator('parley-widget .panel');
const framesOf = (type: string) => fake.received.filter((frame) => frame.type === type);
/** Calls the page's API, as a page's own script would. */
const parley = (page: Page, ...command: unknown[]) =>
  page.evaluate(
    (args) => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley(...args),
    command,
  );

async function nothingStored(visit: Visit): Promise<void> {
  expect(await visit.context.cookies()).toEqual([]);
  expect(await visit.page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
}

describe('a website’s own launcher', () => {
  it('CK-7: shows the website’s colour, side and label, and asks nothing more of the server', async () => {
    const tea = await visit('website=pk_tea');
    const button = launcher(tea.page);
    await expect
      .poll(() => button.evaluate((element) => getComputedStyle(element).backgroundColor))
      .toBe('rgb(255, 212, 0)');
    // Yellow needs dark text.
    expect(await button.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(17, 17, 17)');
    const box = await button.boundingBox();
    expect(box?.x).toBe(20);
    expect(await button.textContent()).toBe('Questions? Ask us');
    // The accessible name starts with the words on screen, so that voice control can say them (WCAG 2.5.3).
    expect(await button.getAttribute('aria-label')).toBe('Questions? Ask us – Open chat');
    await tea.page.waitForTimeout(300);
    expect(tea.requests).toEqual(['/demo', '/w/pk_tea/widget.js']);
    await nothingStored(tea);
    await tea.context.close();
  });

  it('CK-7: says its proactive greeting by itself on the pages it is for, without a request; the chat starts with it', async () => {
    const greet = await visit('website=pk_greet');
    const button = launcher(greet.page);
    await expect.poll(() => button.textContent()).toBe('Looking for a green tea? Ask us!');
    expect(await button.getAttribute('aria-label')).toBe('Looking for a green tea? Ask us! – Open chat');
    expect(greet.requests).toEqual(['/demo', '/w/pk_greet/widget.js']);
    await nothingStored(greet);
    await button.click();
    await expect.poll(() => panel(greet.page).isVisible()).toBe(true);
    await greet.page
      .locator('parley-widget .hint', { hasText: 'Looking for a green tea? Ask us!' })
      .waitFor();
    // Once opened, the launcher is itself again.
    expect(await button.getAttribute('aria-label')).not.toContain('green tea');
    await greet.context.close();

    const elsewhere = await visit('website=pk_elsewhere');
    // The greeting would show at once on its page; on this one the launcher never sets it going.
    await elsewhere.page.waitForTimeout(300);
    expect(await launcher(elsewhere.page).textContent()).toBe('');
    expect(await launcher(elsewhere.page).getAttribute('aria-label')).toBe('Open chat');
    await elsewhere.context.close();
  });

  it('carries its colour and side into the panel, with the website’s greeting and pre-chat fields', async () => {
    const tea = await visit('website=pk_tea');
    await launcher(tea.page).click();
    await expect.poll(() => panel(tea.page).isVisible()).toBe(true);
    const box = await panel(tea.page).boundingBox();
    expect(box?.x).toBe(20);
    const header = tea.page.locator('parley-widget .head');
    expect(await header.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(255, 212, 0)',
    );
    expect(await header.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(17, 17, 17)');
    // Both fields required: neither is marked optional, and an empty form says what is missing.
    await tea.page.getByRole('button', { name: 'Start chat' }).click();
    expect(await tea.page.getByText(STRINGS.en.required).count()).toBe(2);
    await tea.page.getByRole('textbox', { name: 'Name' }).fill('Ada');
    await tea.page.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
    await tea.page.getByRole('button', { name: 'Start chat' }).click();
    await tea.page.getByText('Welcome to the tea shop! Ask us about green tea.').waitFor();
    const send = tea.page.locator('parley-widget .send');
    expect(await send.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(255, 212, 0)',
    );
    expect(await send.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(17, 17, 17)');
    // Transcripts are off for this website.
    await tea.page.getByRole('textbox', { name: 'Your message' }).fill('Do you have sencha?');
    await tea.page.keyboard.press('Enter');
    await tea.page.locator('parley-widget .msg.visitor').waitFor();
    expect(await tea.page.getByRole('button', { name: STRINGS.en.transcript }).count()).toBe(0);
    await tea.context.close();
  });

  it('asks only for what the website asks: a required name and no email', async () => {
    const plain = await visit('website=pk_plain', 'fr-FR');
    await launcher(plain.page).click();
    const t = STRINGS.fr;
    await plain.page.getByRole('button', { name: t.startChat }).waitFor();
    expect(await plain.page.getByRole('textbox', { name: t.email }).count()).toBe(0);
    expect(await plain.page.getByRole('textbox', { name: t.name }).count()).toBe(1);
    // Blue takes white text, in the launcher's colour.
    expect(await launcher(plain.page).evaluate((element) => getComputedStyle(element).color)).toBe(
      'rgb(255, 255, 255)',
    );
    await plain.context.close();
  });
});

describe('the visitor’s language', () => {
  it('a German browser gets the German launcher and loads only the German chat', async () => {
    const german = await visit('website=pk_tea', 'de-DE');
    expect(await launcher(german.page).getAttribute('aria-label')).toBe('Questions? Ask us – Chat öffnen');
    await launcher(german.page).click();
    await german.page.getByRole('button', { name: STRINGS.de.startChat }).waitFor();
    expect(await german.page.getByRole('heading', { name: STRINGS.de.title }).count()).toBe(1);
    expect(german.requests.filter((path) => path.startsWith('/widget/'))).toEqual(['/widget/chat.de.js']);
    expect(fake.received.some((frame) => frame.type === 'hello' && frame.locale === 'de-DE')).toBe(true);
    await german.context.close();
  });

  it('a Polish browser gets Polish, and a French one the website’s first language, English', async () => {
    const polish = await visit('website=pk_tea', 'pl-PL');
    expect(await launcher(polish.page).getAttribute('aria-label')).toBe('Questions? Ask us – Otwórz czat');
    await launcher(polish.page).click();
    await polish.page.getByRole('button', { name: STRINGS.pl.startChat }).waitFor();
    expect(polish.requests).toContain('/widget/chat.pl.js');
    await polish.context.close();

    const french = await visit('website=pk_tea', 'fr-FR');
    expect(await launcher(french.page).getAttribute('aria-label')).toBe('Questions? Ask us – Open chat');
    await french.context.close();
  });
});

describe('the page’s Parley API', () => {
  it('opens and closes the panel, and hides and shows the launcher', async () => {
    const shop = await visit('website=pk_plain');
    await parley(shop.page, 'hide');
    expect(await launcher(shop.page).isVisible()).toBe(false);
    await parley(shop.page, 'show');
    expect(await launcher(shop.page).isVisible()).toBe(true);
    await parley(shop.page, 'open');
    await expect.poll(() => panel(shop.page).isVisible()).toBe(true);
    expect(await launcher(shop.page).getAttribute('aria-expanded')).toBe('true');
    await parley(shop.page, 'close');
    expect(await panel(shop.page).isVisible()).toBe(false);
    await parley(shop.page, 'hide');
    expect(await shop.page.locator('parley-widget').isVisible()).toBe(false);
    await shop.context.close();
  });

  it('CK-7: identify waits for the visitor to act, then sends the profile and skips the pre-chat form', async () => {
    const before = fake.received.length;
    const shop = await visit('website=pk_tea&stub=1');
    await parley(shop.page, 'identify', { name: '  Grace Hopper ', email: 'grace@example.com' });
    await parley(shop.page, 'navigate', '/basket?coupon=SECRET');
    await shop.page.waitForTimeout(300);
    expect(shop.requests).toEqual(['/demo', '/w/pk_tea/widget.js']);
    expect(fake.received.length).toBe(before);
    await nothingStored(shop);

    await launcher(shop.page).click();
    await shop.page.getByRole('textbox', { name: 'Your message' }).waitFor();
    const sent = fake.received.slice(before);
    expect(sent[0]).toMatchObject({ type: 'hello', page: `${fake.url}/basket` });
    await expect
      .poll(() => fake.received.slice(before).filter((frame) => frame.type === 'profile'))
      .toEqual([{ type: 'profile', name: 'Grace Hopper', email: 'grace@example.com' }]);
    await shop.context.close();
  });

  it('runs the calls a page made before widget.js loaded, in order', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const queue: unknown[] = [];
      const stub = Object.assign((...args: unknown[]) => queue.push(args), { q: queue });
      (window as unknown as { Parley: unknown }).Parley = stub;
      stub('hide');
      stub('show');
      stub('open');
    });
    await page.goto(`${fake.url}/demo?website=pk_plain`);
    await page.locator('parley-widget .panel').waitFor();
    expect(await page.locator('parley-widget button.launcher').isVisible()).toBe(true);
    await context.close();
  });

  it('SIG-1: under Global Privacy Control, identify only fills in the form for the visitor to send', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true }));
    await page.goto(`${fake.url}/demo?website=pk_tea`);
    await page.locator('parley-widget button.launcher').waitFor();
    const before = fake.received.length;
    await parley(page, 'identify', { name: 'Ada', email: 'ada@example.com' });
    await page.locator('parley-widget button.launcher').click();
    await page.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Ada');
    expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe('ada@example.com');
    expect(fake.received.slice(before).filter((frame) => frame.type === 'profile')).toEqual([]);
    await page.getByRole('button', { name: 'Start chat' }).click();
    await expect
      .poll(() => fake.received.slice(before).filter((frame) => frame.type === 'profile'))
      .toEqual([{ type: 'profile', name: 'Ada', email: 'ada@example.com' }]);
    await context.close();
  });

  it('leaves out an identify field the protocol would refuse, and says so in the console', async () => {
    const shop = await visit('website=pk_tea');
    const errors: string[] = [];
    shop.page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const before = fake.received.length;
    await parley(shop.page, 'identify', { name: 'Ada', email: 'not an address' });
    await launcher(shop.page).click();
    // The website requires an email, so the form still asks for it, with the name filled in.
    await shop.page.getByRole('button', { name: 'Start chat' }).waitFor();
    expect(await shop.page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Ada');
    expect(errors.join('\n')).toContain('Parley identify: email must be an address');
    await expect
      .poll(() => fake.received.slice(before).filter((frame) => frame.type === 'profile'))
      .toEqual([{ type: 'profile', name: 'Ada' }]);
    await shop.context.close();
  });

  it('navigate tells the server about a single-page app’s new page, without its query', async () => {
    const shop = await visit('website=pk_plain');
    await parley(shop.page, 'open');
    await shop.page.getByRole('button', { name: 'Start chat' }).waitFor();
    const pagesBefore = framesOf('page').length;
    await shop.page.evaluate(() => history.pushState({}, '', '/pricing?plan=pro#faq'));
    await parley(shop.page, 'navigate');
    await expect
      .poll(() => framesOf('page').slice(pagesBefore))
      .toEqual([{ type: 'page', page: `${fake.url}/pricing` }]);
    await shop.context.close();
  });

  it('tells the page when the panel opens and closes, and that an agent wrote, without the text', async () => {
    const shop = await visit('account=demo');
    await shop.page.evaluate(() => {
      const seen: unknown[] = [];
      (window as unknown as { seen: unknown[] }).seen = seen;
      const api = (window as unknown as { Parley: (...a: unknown[]) => void }).Parley;
      api('on', 'open', () => seen.push('open'));
      api('on', 'close', () => seen.push('close'));
      api('on', 'message', (detail: unknown) => seen.push(detail));
    });
    await launcher(shop.page).click();
    await shop.page.getByRole('textbox', { name: 'Your message' }).waitFor();
    fake.agentSays('Hello from Olivia');
    await shop.page.getByText('Hello from Olivia').waitFor();
    await launcher(shop.page).click();
    const seen = await shop.page.evaluate(() => (window as unknown as { seen: unknown[] }).seen);
    expect(seen[0]).toBe('open');
    expect(seen[1]).toMatchObject({ authorName: 'Olivia' });
    expect(JSON.stringify(seen[1])).not.toContain('Hello from Olivia');
    expect(seen[2]).toBe('close');
    await shop.context.close();
  });
});
