import type { IncomingMessage } from 'node:http';
import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import { cookieDeclarations, decideCookies, widgetCookieDeclarations } from '@parley/cookies';
import { hashChatId, hashPassword, sha256 } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX, setAgentOnline } from '@parley/db/chat';
import { countRows, FIXTURE, FIXTURE_PASSWORD, insertRows, readRow, readRows } from '@parley/db/testing';
import { addDuration, parleyPolicy } from '@parley/policy';
import { CLOSE_CODES } from '@parley/protocol';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  Cookie,
  Page,
  WebSocket,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';

// End to end in Chromium: a visitor on /demo and an agent on /app, each in their own browser context,
// chat through the real widget and the real dashboard, served by the real server. Every cookie either of them ends
// up with is compared with what `decideCookies` allows for their situation (CK-1, CK-2, CK-3, CK-4, CK-7, SIG-1).

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;

/** /demo shows the installation's demo account (a `pk_demo_` key), so the agent is that account's owner. */
const OWNER = { email: 'bea@demo-shop.test', name: 'Bea', password: FIXTURE_PASSWORD };
/** What an attacker would type into a chat, hoping the other side renders it. */
const HTML_FROM_VISITOR = '<img src=x onerror=alert(1)> hello <b>visitor</b>';
const HTML_FROM_AGENT = '<img src=x onerror=alert(2)><script>alert(3)</script> <b>agent</b>';
/** The widget's demo page and everything it loads before the visitor acts: nothing but the launcher. */
const DEMO_PAGE_REQUESTS = ['/demo', '/demo/demo.css', '/widget.js'];
/**
 * Chromium asks the host page's origin for its icon after the load event. That is the browser's request for the
 * page, not the widget's: on a customer's site it goes to the customer, so it is left out where requests are listed.
 */
const isFavicon = (path: string): boolean => path === '/favicon.ico';

let browser: Browser;
let server: TestServer;
let demo: { accountId: string; agentId: string; publicKey: string };
const contexts: BrowserContext[] = [];
const serverHits: string[] = [];

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  demo = await createAccountWithOwner(server.db, {
    organization: 'Demo Shop',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}chat0000000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(OWNER.password) },
  });
  // The owner starts the test away, so that going online is something the agent does in the dashboard.
  await setAgentOnline(server.db, demo.accountId, demo.agentId, false);
  // What reached the server, whatever the browser reports: every HTTP request and every WebSocket upgrade.
  server.running.server.on('request', (request: IncomingMessage) => serverHits.push(request.url ?? ''));
  server.running.server.on('upgrade', (request: IncomingMessage) =>
    serverHits.push(`upgrade ${request.url ?? ''}`),
  );
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

/** A page and what it did: requests (split at the load event), WebSockets, dialogs and CSP violations. */
interface Watched {
  context: BrowserContext;
  page: Page;
  requests: string[];
  /** How many of `requests` had been made when the last load event fired. */
  atLoad: number;
  sockets: WebSocket[];
  dialogs: string[];
}

async function watchedPage(options: BrowserContextOptions = {}, init?: () => void): Promise<Watched> {
  const context = await browser.newContext(options);
  contexts.push(context);
  if (init) await context.addInitScript(init);
  await recordCspViolations(context);
  const page = await context.newPage();
  const watched: Watched = { context, page, requests: [], atLoad: -1, sockets: [], dialogs: [] };
  page.on('request', (request) => {
    if (!isFavicon(new URL(request.url()).pathname)) watched.requests.push(request.url());
  });
  page.on('load', () => {
    watched.atLoad = watched.requests.length;
  });
  page.on('websocket', (socket) => watched.sockets.push(socket));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return watched;
}

/** Paths of requests to the server's origin; anything to another origin keeps its full URL, so it shows up. */
const paths = (urls: readonly string[]): string[] =>
  urls.map((url) => (url.startsWith(`${server.running.url}/`) ? url.slice(server.running.url.length) : url));

const names = (cookies: readonly Cookie[]): string[] => cookies.map((cookie) => cookie.name).sort();
const allowedNames = (decision: ReturnType<typeof decideCookies>): string[] =>
  decision.allowed.map((cookie) => cookie.name).sort();
const lifetimeOf = (decision: ReturnType<typeof decideCookies>, name: string): string =>
  decision.allowed.find((cookie) => cookie.name === name)!.lifetime;

/** A persistent cookie's expiry is its declared lifetime from now (seconds, as Chromium reports it). */
function expectExpiresAfter(cookie: Cookie, lifetime: string): void {
  const expected = addDuration(new Date(), lifetime).getTime() / 1000;
  expect(cookie.expires).toBeGreaterThan(expected - 120);
  expect(cookie.expires).toBeLessThanOrEqual(expected + 1);
}

const widgetDecision = (context: { optedOut?: boolean; gpc?: boolean }) =>
  decideCookies(widgetCookieDeclarations(), {
    surface: 'widget',
    visitorHasActed: true,
    optedOut: context.optedOut ?? false,
    gpc: context.gpc ?? false,
    dnt: false,
  });
const dashboardDecision = (context: { signedIn: boolean; rememberEmail: boolean }) =>
  decideCookies(cookieDeclarations(server.parley.services.content), { surface: 'dashboard', ...context });

// ---- the visitor --------------------------------------------------------------------------------------------------

const launcher = (page: Page) => page.locator('parley-widget button.launcher');
const widgetStatus = (page: Page) => page.locator('parley-widget .panel .status');

/** Opens /demo and waits until the page has loaded and the network has been quiet for a while. */
async function openDemo(watched: Watched): Promise<void> {
  await watched.page.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
  await watched.page.waitForLoadState('networkidle');
}

/** The visitor opens the chat and waits until the widget says an agent is online. */
async function openWidget({ page }: Watched): Promise<void> {
  await launcher(page).click();
  await expect.poll(() => widgetStatus(page).textContent(), { timeout: 10_000 }).toBe('We’re online');
}

/** Sends from the widget's composer and waits for the server's acknowledgement (the "sending…" mark goes). */
async function visitorSends(page: Page, text: string, via: 'enter' | 'button'): Promise<void> {
  const input = page.getByLabel('Your message');
  await input.fill(text);
  if (via === 'enter') await input.press('Enter');
  else await page.locator('parley-widget').getByRole('button', { name: 'Send', exact: true }).click();
  const sent = page.locator('parley-widget .msg.visitor:not(.pending)').filter({ hasText: text });
  await sent.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await sent.locator('.text').textContent()).toBe(text);
}

const visitorSees = (page: Page, text: string) =>
  page
    .locator('parley-widget .msg.agent .text')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout: 10_000 });

async function chatIdCookie(context: BrowserContext): Promise<Cookie> {
  await expect.poll(async () => names(await context.cookies())).toContain('parley_chat_id');
  return (await context.cookies()).find((cookie) => cookie.name === 'parley_chat_id')!;
}

const visitorRow = async (chatId: string) => {
  const [visitor] = await readRows(server.db, 'visitors', {
    accountId: demo.accountId,
    chatIdHash: hashChatId(chatId),
  });
  return visitor && { id: visitor.id, persistent: visitor.persistent };
};

/** What the server keeps about the visitor who sent `text`, beyond the conversation itself. */
const signallingVisitor = async (text: string) => {
  const [message] = await readRows(server.db, 'messages', { body: text });
  if (!message) return undefined;
  const v = await readRow(server.db, 'visitors', { id: message.visitorId });
  return {
    chatIdHash: v.chatIdHash,
    page: v.currentPage,
    country: v.country,
    locale: v.locale,
    persistent: v.persistent,
  };
};
/** SIG-1: under a privacy signal, nothing that recognises the visitor or says where they are or were. */
const NOTHING_BUT_THE_CONVERSATION = {
  chatIdHash: null,
  page: null,
  country: null,
  locale: null,
  persistent: false,
};

// ---- the agent ----------------------------------------------------------------------------------------------------

/** Signs in through the dashboard's form. */
async function signInThroughForm(
  watched: Watched,
  who: { email: string; password: string },
  rememberEmail: boolean,
): Promise<void> {
  const { page } = watched;
  await page.goto(`${server.running.url}/app`, { waitUntil: 'load' });
  await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  if (rememberEmail) await page.getByRole('checkbox', { name: 'Remember my email' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
}

let agentTab: Watched | undefined;

/** The demo owner, signed in through the form in a context of their own and available for chats. */
async function onlineAgent(): Promise<Watched> {
  if (agentTab) return agentTab;
  const watched = await watchedPage();
  await signInThroughForm(watched, OWNER, false);
  const available = watched.page.getByRole('switch', { name: 'Available' });
  await expect.poll(() => available.isEnabled()).toBe(true);
  expect(await available.getAttribute('aria-checked')).toBe('false');
  await available.click();
  expect(await available.getAttribute('aria-checked')).toBe('true');
  // The widget asks the server whether anyone is online: wait until the server has taken the switch.
  await expect.poll(() => server.parley.services.presence.count(demo.accountId)).toBe(1);
  agentTab = watched;
  return watched;
}

const conversationItem = (page: Page, text: string) =>
  page.locator('a.conversation-item').filter({ hasText: text });
const openConversation = (page: Page) => page.locator('article.conversation');

/** The agent finds the visitor's message in the inbox and opens the conversation. */
async function agentOpens(page: Page, text: string): Promise<void> {
  const item = conversationItem(page, text);
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  await openConversation(page)
    .locator('.message-visitor .message-text')
    .filter({ hasText: text })
    .waitFor({ state: 'visible' });
}

/** The agent types a reply; the visitor sees that the agent is typing; the agent sends it and it is delivered. */
async function agentReplies(agent: Page, visitor: Page, text: string): Promise<void> {
  const reply = agent.getByLabel('Reply', { exact: true });
  await reply.fill(text);
  await expect.poll(() => widgetStatus(visitor).textContent()).toBe(`${OWNER.name} is typing…`);
  await reply.press('Enter');
  await openConversation(agent)
    .locator('.message-agent:not(.message-pending) .message-text')
    .filter({ hasText: text })
    .waitFor({ state: 'visible', timeout: 10_000 });
  await visitorSees(visitor, text);
}

// ---- the tests ----------------------------------------------------------------------------------------------------

// The tests run in order: the first three follow one visitor from landing to chatting; the agent signed in by the
// second stays online for the rest.
describe('a visitor and an agent, in Chromium', () => {
  let visitor: Watched;

  it('CK-7: before the visitor opens the chat, the demo page stores nothing and only loads widget.js from Parley', async () => {
    visitor = await watchedPage();
    await openDemo(visitor);
    const { page, context } = visitor;
    await launcher(page).waitFor({ state: 'visible' });
    expect(await page.locator('script[src="/widget.js"]').getAttribute('data-account')).toBe(demo.publicKey);

    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    // Everything the page fetched happened before its load event: the page, its stylesheet and the launcher.
    expect(paths(visitor.requests)).toEqual(DEMO_PAGE_REQUESTS);
    expect(visitor.atLoad).toBe(DEMO_PAGE_REQUESTS.length);
    // The same from the page's own clock: no resource was fetched after the load event began.
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return performance.getEntriesByType('resource').map((entry) => ({
        path: new URL(entry.name).pathname,
        beforeLoad: entry.startTime < navigation.loadEventStart,
      }));
    });
    expect(timing.filter((entry) => !isFavicon(entry.path))).toEqual([
      { path: '/demo/demo.css', beforeLoad: true },
      { path: '/widget.js', beforeLoad: true },
    ]);
    // And from the server's side: these three requests, and no WebSocket upgrade.
    expect(serverHits.filter((hit) => !isFavicon(hit))).toEqual(DEMO_PAGE_REQUESTS);
    expect(visitor.sockets).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('CK-3: a visitor and an agent signed in to /app chat both ways, with typing indicators, and HTML stays text', async () => {
    const agent = await onlineAgent();
    const { page } = visitor;

    await openWidget(visitor);
    // Only now does the widget reach out: chat.js and one visitor socket.
    expect(paths(visitor.requests.slice(DEMO_PAGE_REQUESTS.length))).toEqual(['/widget/chat.js']);
    await expect
      .poll(() => visitor.sockets.map((socket) => new URL(socket.url()).pathname))
      .toEqual(['/ws/visitor']);

    await visitorSends(page, 'Hello, do you ship roses to Vienna?', 'button');
    await agentOpens(agent.page, 'Hello, do you ship roses to Vienna?');
    await agentReplies(agent.page, page, 'Hi! Yes, we ship to Austria.');
    // The indicator goes once the reply is there.
    await expect.poll(() => widgetStatus(page).textContent()).not.toContain('typing');

    // The visitor types: the agent sees it in the open conversation, then gets the message as plain text.
    const typingLine = openConversation(agent.page).locator('.typing-line');
    await page.getByLabel('Your message').fill(HTML_FROM_VISITOR);
    await expect.poll(() => typingLine.textContent()).toBe('The visitor is typing…');
    await page.getByLabel('Your message').press('Enter');
    const received = openConversation(agent.page)
      .locator('.message-visitor .message-text')
      .filter({ hasText: 'hello <b>visitor</b>' });
    await received.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await received.textContent()).toBe(HTML_FROM_VISITOR);
    await expect.poll(() => typingLine.textContent()).toBe('');
    expect(
      await agent.page
        .locator('.conversation-list .item-preview')
        .filter({ hasText: 'onerror' })
        .textContent(),
    ).toBe(HTML_FROM_VISITOR);

    await agentReplies(agent.page, page, HTML_FROM_AGENT);
    expect(
      await page.locator('parley-widget .msg.agent .text').filter({ hasText: 'onerror' }).textContent(),
    ).toBe(HTML_FROM_AGENT);

    // Neither side turned the text into elements: no image, no script, no bold, no alert, no request for "x".
    expect(await agent.page.locator('.messages img, .messages b, .messages script').count()).toBe(0);
    expect(await agent.page.locator('.conversation-list img, .conversation-list b').count()).toBe(0);
    expect(
      await page.locator('parley-widget .log img, parley-widget .log b, parley-widget .log script').count(),
    ).toBe(0);
    for (const side of [visitor, agent]) {
      expect(side.dialogs).toEqual([]);
      expect(paths(side.requests).filter((path) => /\/x(\?|$)/.test(path))).toEqual([]);
      expect(await cspViolations(side.page)).toEqual([]);
    }
  });

  it('CK-3, CK-7: after chatting, the visitor has exactly the cookies decideCookies allows, and nothing in storage', async () => {
    const { context, page } = visitor;
    const decision = widgetDecision({});
    const cookies = await context.cookies();
    expect(names(cookies)).toEqual(allowedNames(decision));
    const chatId = await chatIdCookie(context);
    expect(chatId).toMatchObject({ secure: true, sameSite: 'Lax', httpOnly: false, path: '/' });
    expect(lifetimeOf(decision, 'parley_chat_id')).toBe('P30D');
    expectExpiresAfter(chatId, 'P30D');
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    // The server agrees: this visitor may be recognised on a later visit.
    expect(await visitorRow(chatId.value)).toMatchObject({ persistent: true });
  });

  it('messages the bus lost reach the widget and the dashboard from the store, once each and in order, by a catch-up and on a reconnect', async () => {
    const agent = await onlineAgent();
    const { page } = visitor;
    const [last] = await readRows(server.db, 'messages', { body: HTML_FROM_AGENT });
    if (!last) throw new Error('the chat above left no reply');
    /** Written by another node, whose publication never reached this one. */
    const writtenElsewhere = (id: string, body: string, createdAt: number) =>
      insertRows(server.db, 'messages', [
        {
          id,
          conversationId: last.conversationId,
          accountId: demo.accountId,
          visitorId: last.visitorId,
          author: 'agent',
          agentId: demo.agentId,
          body,
          clientKey: `key_${id}`,
          createdAt,
        },
      ]);
    const widgetTexts = () => page.locator('parley-widget .log .msg .text').allTextContents();
    const dashboardTexts = () => openConversation(agent.page).locator('.message-text').allTextContents();

    // That node's clock runs behind: one message is timed a moment before the last one shown.
    await writtenElsewhere('msg_lost_early', 'Lost, timed early', last.createdAt - 1);
    await writtenElsewhere('msg_lost_late', 'Lost, timed late', last.createdAt + 1_000);
    await server.parley.services.sockets.catchUp();
    const caughtUp = ['Lost, timed early', HTML_FROM_AGENT, 'Lost, timed late'];
    await expect.poll(async () => (await widgetTexts()).slice(-3)).toEqual(caughtUp);
    await expect.poll(async () => (await dashboardTexts()).slice(-3)).toEqual(caughtUp);

    // Missed again, then both sockets drop: each reconnects from the newest message it holds.
    await writtenElsewhere(
      'msg_lost_away',
      'Lost while connected, found on reconnecting',
      last.createdAt + 2_000,
    );
    await server.parley.services.sockets.closeAll(CLOSE_CODES.slowConsumer, 'too slow');
    const resumed = [...caughtUp, 'Lost while connected, found on reconnecting'];
    await expect.poll(async () => (await widgetTexts()).slice(-4), { timeout: 15_000 }).toEqual(resumed);
    await expect.poll(async () => (await dashboardTexts()).slice(-4), { timeout: 15_000 }).toEqual(resumed);
    // The reconnect read back over the clock skew, and nothing came twice.
    for (const texts of [await widgetTexts(), await dashboardTexts()])
      expect(texts.filter((text) => text === 'Lost, timed early')).toHaveLength(1);
    await expect.poll(() => widgetStatus(page).textContent()).toBe('We’re online');
  });

  it('CK-1: the agent signed in through the form has exactly the session cookie the dashboard decision allows', async () => {
    const { context, page } = await onlineAgent();
    const decision = dashboardDecision({ signedIn: true, rememberEmail: false });
    const cookies = await context.cookies();
    expect(names(cookies)).toEqual(allowedNames(decision));
    expect(names(cookies)).not.toContain('parley_remember_email');
    const session = cookies.find((cookie) => cookie.name === 'parley_session')!;
    expect(lifetimeOf(decision, 'parley_session')).toBe('session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', expires: -1 });
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('CK-1, CK-2: "Remember my email" keeps only the email cookie after sign-out, and it fills in the form', async () => {
    const who = { email: FIXTURE.agents.acmeOwner.email, password: FIXTURE_PASSWORD };
    const owner = await watchedPage();
    const { context, page } = owner;
    await signInThroughForm(owner, who, true);

    const signedIn = dashboardDecision({ signedIn: true, rememberEmail: true });
    let cookies = await context.cookies();
    expect(names(cookies)).toEqual(allowedNames(signedIn));
    expect(names(cookies)).toEqual(['parley_remember_email', 'parley_session']);
    const remember = cookies.find((cookie) => cookie.name === 'parley_remember_email')!;
    expect(remember).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    expectExpiresAfter(remember, lifetimeOf(signedIn, 'parley_remember_email'));
    expect(cookies.find((cookie) => cookie.name === 'parley_session')).toMatchObject({ expires: -1 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor({ state: 'visible' });
    const signedOut = dashboardDecision({ signedIn: false, rememberEmail: true });
    await expect.poll(async () => names(await context.cookies())).toEqual(allowedNames(signedOut));
    expect(allowedNames(signedOut)).toEqual(['parley_remember_email']);
    cookies = await context.cookies();
    expect(cookies[0]).toMatchObject({ value: remember.value, expires: remember.expires });

    // What the cookie is for: the next sign-in form comes filled in, with the box still ticked.
    await page.reload({ waitUntil: 'load' });
    await expect.poll(() => page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(who.email);
    expect(await page.getByRole('checkbox', { name: 'Remember my email' }).isChecked()).toBe(true);
    expect(names(await context.cookies())).toEqual(['parley_remember_email']);
  });

  it('SEC-1: signing out in one tab takes another tab of the same sign-in to the sign-in page, saying why', async () => {
    const who = { email: FIXTURE.agents.acmeAgent.email, password: FIXTURE_PASSWORD };
    const first = await watchedPage();
    await signInThroughForm(first, who, false);
    await first.page.locator('.connection[data-kind="connected"]').waitFor({ state: 'attached' });
    const second = await first.context.newPage();
    await second.goto(`${server.running.url}/app`, { waitUntil: 'load' });
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByText('You are signed out.').waitFor({ state: 'visible' });
    await first.page
      .getByText('You were signed out, perhaps in another tab. Please sign in again.')
      .waitFor({ state: 'visible', timeout: 10_000 });
    expect(await first.page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
  });

  it('SIG-1: with Global Privacy Control the chat works, the chat id is a session cookie, and the server keeps nothing but the conversation', async () => {
    const agent = await onlineAgent();
    const gpc = await watchedPage({ extraHTTPHeaders: { 'Sec-GPC': '1' } }, () => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
        get: () => true,
        configurable: true,
      });
    });
    const { context, page } = gpc;
    await openDemo(gpc);
    expect(
      await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl),
    ).toBe(true);
    expect(await context.cookies()).toEqual([]);
    await openWidget(gpc);
    const text = 'Hi, private browsing here. Is the shop open on Sunday?';
    await visitorSends(page, text, 'enter');
    await agentOpens(agent.page, 'Is the shop open on Sunday?');
    await agentReplies(agent.page, page, 'No, Monday to Saturday only.');

    const decision = widgetDecision({ gpc: true });
    expect(names(await context.cookies())).toEqual(allowedNames(decision));
    expect(lifetimeOf(decision, 'parley_chat_id')).toBe('session');
    const chatId = await chatIdCookie(context);
    expect(chatId).toMatchObject({ expires: -1, secure: true, sameSite: 'Lax' });
    expect(await visitorRow(chatId.value)).toBeUndefined();
    expect(await signallingVisitor(text)).toEqual(NOTHING_BUT_THE_CONVERSATION);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
  });

  it('SIG-1: a signal only on the page request, which the browser neither shows to scripts nor sends on the WebSocket, is honoured, and the chat carries on after a reload', async () => {
    const agent = await onlineAgent();
    const upgrades: Array<string | string[] | undefined> = [];
    const onUpgrade = (request: IncomingMessage) => upgrades.push(request.headers['sec-gpc']);
    server.running.server.on('upgrade', onUpgrade);
    try {
      const quiet = await watchedPage();
      const { context, page } = quiet;
      // What a browser with GPC sends on the page's requests, and not on the WebSocket opened after them.
      const loadWithSignal = async (load: () => Promise<unknown>) => {
        await page.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
        await load();
        await page.setExtraHTTPHeaders({});
      };
      await loadWithSignal(() => openDemo(quiet));
      expect(await page.locator('script[src="/widget.js"]').getAttribute('data-gpc')).toBe('1');
      expect(
        await page.evaluate(() => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl),
      ).not.toBe(true);
      await openWidget(quiet);
      const text = 'Only my page request says GPC. Do you sell seed trays?';
      await visitorSends(page, text, 'enter');
      await agentOpens(agent.page, 'Do you sell seed trays?');
      await agentReplies(agent.page, page, 'Yes, in three sizes.');

      expect(upgrades.length).toBeGreaterThan(0);
      expect(upgrades.every((header) => header === undefined)).toBe(true);
      const chatId = await chatIdCookie(context);
      expect(chatId).toMatchObject({ expires: -1 });
      expect(await signallingVisitor(text)).toEqual(NOTHING_BUT_THE_CONVERSATION);

      // The next page of the same visit: the session cookie's signed chat id still finds the chat in progress.
      await loadWithSignal(() => page.reload({ waitUntil: 'load' }));
      await launcher(page).click();
      await page
        .locator('parley-widget .msg.agent .text')
        .filter({ hasText: 'Yes, in three sizes.' })
        .waitFor({ state: 'visible', timeout: 10_000 });
      expect(await signallingVisitor(text)).toEqual(NOTHING_BUT_THE_CONVERSATION);
    } finally {
      server.running.server.off('upgrade', onUpgrade);
    }
  });

  it('a visitor who ended and rated a chat sees it again after a reload, without being asked to rate it twice', async () => {
    await onlineAgent();
    const rater = await watchedPage();
    const { page } = rater;
    const widget = page.locator('parley-widget');
    const question = widget.getByText('How was this chat?');
    await openDemo(rater);
    await openWidget(rater);
    await visitorSends(page, 'That is all I needed, thank you.', 'enter');
    await widget.getByRole('button', { name: 'End chat' }).click();
    // The widget asks first; its own End chat button confirms.
    await widget.getByRole('button', { name: 'End chat' }).click();
    await question.waitFor({ state: 'visible', timeout: 10_000 });
    await widget.getByRole('button', { name: '5 out of 5' }).click();
    await widget.getByText('Thank you for your rating.').waitFor({ state: 'visible' });
    await expect
      .poll(() => countRows(server.db, 'conversations', { accountId: demo.accountId, rating: 5 }))
      .toBe(1);

    // Back on the page within the hour: the ended chat is still shown, and the question is not asked again.
    await page.reload({ waitUntil: 'load' });
    await launcher(page).click();
    await expect
      .poll(() => widgetStatus(page).textContent(), { timeout: 10_000 })
      .toBe('This chat has ended');
    await widget
      .locator('.msg.visitor .text')
      .filter({ hasText: 'That is all I needed, thank you.' })
      .waitFor({ state: 'visible', timeout: 10_000 });
    expect(await question.count()).toBe(0);
    expect(await widget.getByRole('button', { name: '5 out of 5' }).count()).toBe(0);
  });

  it('CK-4: turning chat off leaves only the opt-out cookie, records the choice, and keeps the widget off after a reload', async () => {
    await onlineAgent();
    const optOut = await watchedPage();
    const { context, page } = optOut;
    await openDemo(optOut);
    await openWidget(optOut);
    await visitorSends(page, 'Just looking, thanks.', 'enter');
    const chatId = await chatIdCookie(context);
    const visitorId = (await visitorRow(chatId.value))!.id;

    await page.locator('parley-widget').getByRole('button', { name: 'Turn chat off' }).click();
    const title = (await page.locator('parley-widget .alt h3').textContent())!;
    const body = (await page.locator('parley-widget .alt p').textContent())!;
    expect(title).toBe('Turn chat off?');
    expect(body).toContain('1 year');
    await page.locator('parley-widget').getByRole('button', { name: 'Turn chat off' }).click();

    const decision = widgetDecision({ optedOut: true });
    expect(allowedNames(decision)).toEqual(['parley_opt_out']);
    await expect.poll(async () => names(await context.cookies())).toEqual(allowedNames(decision));
    const cookies = await context.cookies();
    expect(cookies[0]).toMatchObject({ name: 'parley_opt_out', value: '1', secure: true, sameSite: 'Lax' });
    expectExpiresAfter(cookies[0]!, lifetimeOf(decision, 'parley_opt_out'));

    // The widget is gone: no launcher, no panel, only the short confirmation; its socket is closed.
    await launcher(page).waitFor({ state: 'detached' });
    expect(await page.locator('parley-widget .panel').count()).toBe(0);
    await page
      .locator('parley-widget .toast')
      .getByText('Chat is off. Nothing more is stored on this device.')
      .waitFor({ state: 'visible' });
    await expect.poll(() => optOut.sockets.every((socket) => socket.isClosed())).toBe(true);

    // The server recorded exactly what the visitor confirmed, under the policy version in force.
    const latest = parleyPolicy.versions[parleyPolicy.versions.length - 1]!.version;
    expect(server.parley.services.policyVersion.version).toBe(latest);
    const records = await readRows(server.db, 'consentRecords', {
      accountId: demo.accountId,
      choice: 'opt_out',
    });
    expect(records).toEqual([
      expect.objectContaining({
        visitorId,
        scope: 'widget',
        choice: 'opt_out',
        policyVersion: latest,
        textHash: sha256(`${title}\n${body}`),
      }),
    ]);
    // And it no longer knows the chat id, so nothing could recognise this browser.
    expect(await visitorRow(chatId.value)).toBeUndefined();

    // A later visit: widget.js loads and stays hidden, opens no socket and touches no cookie.
    optOut.requests.length = 0;
    optOut.sockets.length = 0;
    await page.reload({ waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    expect(await page.locator('parley-widget').count()).toBe(0);
    expect(paths(optOut.requests)).toEqual(DEMO_PAGE_REQUESTS);
    expect(optOut.atLoad).toBe(DEMO_PAGE_REQUESTS.length);
    expect(optOut.sockets).toEqual([]);
    expect(await context.cookies()).toEqual(cookies);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    expect(await cspViolations(page)).toEqual([]);
  });
});
