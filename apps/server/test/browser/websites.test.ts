import { cspViolations, launchChromium } from '@parley/chromium';
import { createWebsite, defaultWebsiteSettings } from '@parley/db';
import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { ManualClock } from '@parley/live/testing';
import { CLOSE_CODES } from '@parley/protocol';
import { STRINGS } from '@parley/widget';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { axeViolations } from './axe.ts';
import { browserPages } from './browser-pages.ts';
import { type CustomerSite, startCustomerSite } from './customer-site.ts';
import { signInThroughForm } from './sign-in-page.ts';

// End to end in Chromium: an owner sets up a website in the dashboard, and its snippet goes on a page of another
// origin (a second small HTTP server). The page on the declared origin chats with the website's settings; a page on
// an origin the website does not list cannot open a chat.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;
const OWNER = { email: FIXTURE.agents.acmeOwner.email, password: FIXTURE_PASSWORD };
const GREETING = 'Willkommen bei Acme! Wie können wir helfen?';

let browser: Browser;
let server: TestServer;
const clock = new ManualClock();
/** The customer's site: one page, carrying whatever snippet the test put there. */
let site: CustomerSite;
let siteSnippet = '';
const pages = browserPages(() => browser);

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets, clock });
  // Every account has a website from its start (or from the migration that brought websites): the one its own key
  // names.
  await createWebsite(server.db, FIXTURE.accounts.acme.id, defaultWebsiteSettings('Acme'), {
    publicKey: FIXTURE.accounts.acme.publicKey,
  });
  site = await startCustomerSite(
    () => `<!doctype html><html lang="de"><head><title>Acme Gärten</title></head>
<body><h1>Acme Gärten</h1>${siteSnippet}</body></html>`,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await site?.close();
  await server?.close();
});

/** The site under two names: the same server is a different origin as `localhost` and as `127.0.0.1`. */
const sitePort = () => site.port();
const declaredOrigin = () => `http://localhost:${sitePort()}`;
const undeclaredOrigin = () => `http://127.0.0.1:${sitePort()}`;

interface Welcome {
  type: 'welcome';
  agentsOnline: boolean;
  settings?: { greeting: string | null; preChat: { name: string; email: string } };
}

/** Opens the site at `origin`, opens the chat, and returns the welcome the widget's socket received. */
async function openChat(page: Page, origin: string): Promise<Welcome> {
  const welcome = new Promise<Welcome>((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(String(payload)) as { type: string };
        if (frame.type === 'welcome') resolve(frame as Welcome);
      });
    });
  });
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.locator('parley-widget button.launcher').click();
  return welcome;
}

/** A socket the page itself opens with the website's key, and how it ends: the browser sends the page's origin. */
function socketFromPage(page: Page, key: string): Promise<{ opened: boolean; code: number; reason: string }> {
  const url = `${server.wsUrl}/ws/visitor?account=${encodeURIComponent(key)}`;
  return page.evaluate(
    (address) =>
      new Promise<{ opened: boolean; code: number; reason: string }>((resolve) => {
        const socket = new WebSocket(address);
        let opened = false;
        socket.onopen = () => {
          opened = true;
          socket.send(JSON.stringify({ type: 'hello', persistent: false }));
        };
        socket.onmessage = (event) => {
          if (JSON.parse(String(event.data)).type === 'welcome') socket.close(1000, 'welcomed');
        };
        socket.onclose = (event) => resolve({ opened, code: event.code, reason: event.reason });
      }),
    url,
  );
}

describe('a website set up in the dashboard', () => {
  it('carries its colour, greeting, language and hours to a page on its origin, and no chat opens elsewhere', async () => {
    const { page: dashboard } = await pages.newPage();
    await signInThroughForm(dashboard, server.running.url, OWNER);
    await dashboard.getByRole('link', { name: 'Websites' }).click();
    await dashboard.getByRole('button', { name: 'Add a website' }).click();
    await dashboard.getByLabel('Name', { exact: true }).fill('Acme Gärten');
    await dashboard.getByLabel('Allowed origins').fill(declaredOrigin());
    await dashboard.getByLabel('Colour', { exact: true }).fill('#aa3300');
    await dashboard.getByLabel('Greeting').fill(GREETING);
    // German alone: the widget speaks it whatever the visitor's browser prefers (this one prefers English).
    await dashboard.getByLabel('Deutsch').check();
    await dashboard.getByLabel('English').uncheck();
    await dashboard.getByLabel('Default language').selectOption('de');
    // The live preview follows the draft before anything is saved.
    const preview = dashboard.locator('iframe.widget-preview');
    await expect.poll(async () => (await preview.getAttribute('src')) ?? '').toContain('color=%23aa3300');
    expect(await axeViolations(dashboard)).toEqual([]);
    // A colour that is not one is refused beside its field, and nothing typed is lost.
    const colour = dashboard.getByLabel('Colour', { exact: true });
    await colour.fill('red');
    await dashboard.getByRole('button', { name: 'Create website' }).click();
    await dashboard.getByText('The colour must be written #rrggbb').waitFor();
    await expect.poll(() => colour.getAttribute('aria-invalid')).toBe('true');
    expect(await dashboard.getByLabel('Greeting').inputValue()).toBe(GREETING);
    await colour.fill('#aa3300');
    await dashboard.getByRole('button', { name: 'Create website' }).click();
    const card = dashboard.locator('section.website-card', { hasText: 'Acme Gärten' });
    const snippet = await card.getByLabel('Snippet').inputValue();
    expect(snippet).toMatch(
      /^<script src="http:\/\/127\.0\.0\.1:\d+\/w\/pk_[A-Za-z0-9_-]+\/widget\.js" async><\/script>$/,
    );
    const key = /\/w\/([^/]+)\/widget\.js/.exec(snippet)?.[1] ?? '';
    siteSnippet = snippet;

    // The website's launcher script names its key, so the snippet needs nothing else.
    const launcher = await (await fetch(`${server.running.url}/w/${key}/widget.js`)).text();
    expect(launcher).toContain(key);

    // On the declared origin the chat opens with the website's greeting.
    const { page: visitor } = await pages.newPage();
    const welcome = await openChat(visitor, declaredOrigin());
    expect(welcome.settings?.greeting).toBe(GREETING);
    expect(welcome.agentsOnline).toBe(true);
    // The launcher reads its website's settings from its script: the colour on the button, the greeting in the chat.
    expect(launcher).toContain('#aa3300');
    await expect
      .poll(() =>
        visitor
          .locator('parley-widget button.launcher')
          .evaluate((button) => getComputedStyle(button).backgroundColor),
      )
      .toBe('rgb(170, 51, 0)');
    await visitor.getByText(GREETING).waitFor();
    expect(await socketFromPage(visitor, key)).toMatchObject({ opened: true, code: 1000 });

    // On an origin the website does not list, the handshake is refused and the widget says chat is unavailable.
    const { page: stranger } = await pages.newPage();
    await stranger.goto(`${undeclaredOrigin()}/`, { waitUntil: 'load' });
    expect(await socketFromPage(stranger, key)).toEqual({
      opened: true,
      code: CLOSE_CODES.policy,
      reason: 'origin not allowed',
    });
    await stranger.locator('parley-widget button.launcher').click();
    await stranger.getByText(STRINGS.de.unavailable).first().waitFor();

    // Hours that leave out today: the widget offers the offline form although an agent is online.
    await card.getByRole('button', { name: 'Edit' }).click();
    await dashboard.getByLabel('Agents answer only during working hours').check();
    await dashboard.getByLabel('Time zone').fill('UTC');
    // The server's clock stands still, so "today" is the same day for the test and for the server.
    const today = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
      new Date(clock.now()).getUTCDay()
    ];
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      const box = dashboard.getByLabel(day, { exact: true });
      if (day === today) await box.uncheck();
      else await box.check();
    }
    await dashboard.getByRole('button', { name: 'Save website' }).click();
    await dashboard.getByText('Saved.', { exact: false }).waitFor();
    const { page: later } = await pages.newPage();
    const afterHours = await openChat(later, declaredOrigin());
    expect(afterHours.agentsOnline).toBe(false);
    await later.getByText(STRINGS.de.offlineIntro).waitFor();

    for (const page of [dashboard, visitor, stranger, later]) expect(await cspViolations(page)).toEqual([]);
  }, 60_000);
});
