import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@parley/chromium';
import type { ChatSettings, LauncherSettings } from '@parley/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type FakeChatServer, startFakeChatServer } from '../test/fake-chat-server.ts';
import { buildWidget, sizeReport } from './build.ts';

// A look at the widget in a real Chromium, for a person to judge: builds, serves /demo (from a running Parley
// server with `--server http://localhost:8787`, else from the fake server in test/), walks through the visitor's
// paths at phone size and saves screenshots. It also checks the promises it can see from outside and prints
// PASS/FAIL. Usage: pnpm --filter @parley/widget check:browser [--server URL] [--out DIR]

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};

const out = argument('out') ?? join(tmpdir(), 'parley-widget-check');
const external = argument('server');
const PHONE = { width: 390, height: 844 };
const results: Array<{ ok: boolean; what: string }> = [];

function check(ok: boolean, what: string): void {
  results.push({ ok, what });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
}

async function shot(page: Page, name: string): Promise<void> {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path });
  console.log(`      screenshot ${path}`);
}

async function storageUsed(page: Page): Promise<number> {
  return page.evaluate(() => localStorage.length + sessionStorage.length);
}

/** The panel is ready: the message box, or the offline form when no agent is online. */
const chatReady = (page: Page) =>
  page
    .getByRole('textbox', { name: 'Your message' })
    .or(page.getByText(/No one is online right now/))
    .waitFor();

/** A website with every setting in use, for the fake server's `/w/KEY/widget.js`. */
const WEBSITE: LauncherSettings = {
  key: 'pk_herbaciarnia',
  color: '#ffd400',
  position: 'left',
  label: 'Pytania? Chętnie pomożemy',
  languages: ['pl', 'en'],
};
const WEBSITE_CHAT: ChatSettings = {
  greeting: 'Dzień dobry! Chętnie doradzimy w wyborze herbaty.',
  preChat: { name: 'required', email: 'optional' },
  transcripts: true,
  ratings: false,
};

const widgetCookies = async (context: BrowserContext) =>
  (await context.cookies()).filter((cookie) => cookie.name.startsWith('parley_'));

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const built = await buildWidget();
  console.log(sizeReport(built));
  const fake: FakeChatServer | undefined = external
    ? undefined
    : await startFakeChatServer({
        distDir: new URL('../dist', import.meta.url).pathname,
        websites: { [WEBSITE.key]: WEBSITE },
        chatSettings: (account) => (account === WEBSITE.key ? WEBSITE_CHAT : undefined),
      });
  const base = external ?? fake!.url;
  console.log(`server: ${base}${fake ? ' (fake)' : ''}\nscreenshots: ${out}`);

  const browser: Browser = await launchChromium();
  try {
    await visitorPath(browser, base, fake);
    await variants(browser, base, fake);
  } finally {
    await browser.close();
    await fake?.close();
  }
  const failed = results.filter((result) => !result.ok);
  console.log(`\n${results.length - failed.length}/${results.length} checks passed`);
  if (failed.length > 0) process.exitCode = 1;
}

async function visitorPath(browser: Browser, base: string, fake: FakeChatServer | undefined): Promise<void> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => requests.push(socket.url()));
  page.on('pageerror', (error) => check(false, `no script error (${error.message})`));

  await page.goto(`${base}/demo`);
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await launcher.waitFor();
  await page.waitForTimeout(300);
  await shot(page, '01-launcher');
  check(
    requests.every((url) => url.endsWith('/demo') || url.endsWith('/widget.js') || url.includes('/demo/')),
    `CK-7: before opening, only the page and widget.js were requested (${requests.length} requests)`,
  );
  check((await widgetCookies(context)).length === 0, 'CK-7: no cookie before the visitor acts');
  check((await storageUsed(page)) === 0, 'CK-7: no localStorage or sessionStorage');

  // Tab until the launcher has focus: the page's own links come first.
  let launcherFocused = false;
  for (let i = 0; i < 20 && !launcherFocused; i++) {
    await page.keyboard.press('Tab');
    launcherFocused = await page.evaluate(
      () => document.querySelector('parley-widget')?.shadowRoot?.activeElement?.className === 'launcher',
    );
  }
  check(launcherFocused, 'the launcher is reachable with Tab');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const input = page.getByRole('textbox', { name: 'Your message' });
  const offlineForm = page.getByText(/No one is online right now/);
  await input.or(offlineForm).waitFor();
  await page.waitForTimeout(300);
  check(
    requests.some((url) => url.endsWith('/widget/chat.js')),
    'Enter on the launcher loads chat.js',
  );
  const cookies = await widgetCookies(context);
  check(
    cookies.length === 1 && cookies[0]?.name === 'parley_chat_id' && cookies[0].expires > 0,
    `CK-3: opening the chat sets the chat-id cookie, for 30 days (${cookies.map((c) => c.name).join(', ')})`,
  );
  await shot(page, '02-open');
  if (await offlineForm.isVisible()) {
    // A real server with no agent signed in: the visitor leaves a message instead.
    await page.getByRole('textbox', { name: 'Email' }).fill('visitor@example.com');
    await page.getByRole('textbox', { name: 'Message' }).fill('Hello! Do you ship to Berlin?');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText(/Thank you! We.ll reply to visitor@example.com/).waitFor();
    await shot(page, '03-offline-sent');
    check(true, 'with no agent online, the offline form takes a message');
    await page.goto(`${base}/demo?page=2`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page
      .getByText(/Thank you|No one is online right now/)
      .first()
      .waitFor();
    await optOut(page, context, requests, fake);
    await context.close();
    return;
  }
  check(
    await input.evaluate((element) => element === (element.getRootNode() as ShadowRoot).activeElement),
    'focus moves to the message box',
  );

  await input.fill('Hello! Do you ship to Berlin?');
  await page.keyboard.press('Enter');
  await page
    .getByText('Olivia is typing…')
    .waitFor({ timeout: 5_000 })
    .catch(() => {});
  await shot(page, '03-typing');
  await page.getByText(/we ship to Berlin/).waitFor({ timeout: 5_000 });
  await page.waitForTimeout(200);
  await shot(page, '04-conversation');
  check(
    (await page.getByRole('heading', { name: 'Olivia' }).count()) === 1,
    "the header shows the agent's name",
  );

  await input.fill('<img src=x onerror=alert(1)> <b>bold?</b>\nsecond line');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(400);
  check(
    (await page.getByText('<img src=x onerror=alert(1)>', { exact: false }).count()) === 1 &&
      (await page.evaluate(() =>
        document.querySelector('parley-widget')?.shadowRoot?.querySelector('.log img'),
      )) === null,
    'messages are shown as text, never as HTML',
  );

  if (fake) {
    fake.dropAll();
    await page.getByText('Reconnecting…').waitFor({ timeout: 3_000 });
    await input.fill('Sent while the line was down');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(50);
    await shot(page, '05-reconnecting');
    await page
      .getByText(/We.re online|Olivia/)
      .first()
      .waitFor();
    await page.waitForFunction(
      () =>
        document.querySelector('parley-widget')?.shadowRoot?.querySelectorAll('.msg.pending').length === 0,
      undefined,
      { timeout: 15_000 },
    );
    const sends = fake.received.filter((frame) => frame.type === 'send');
    const texts = sends.map((frame) => (frame.type === 'send' ? frame.text : ''));
    check(
      texts.filter((text) => text === 'Sent while the line was down').length === 1,
      'a message written while disconnected is delivered once after reconnecting',
    );
    const hellos = fake.received.filter((frame) => frame.type === 'hello');
    check(
      hellos.length >= 2 && hellos.at(-1)?.type === 'hello' && hellos.at(-1)?.chatId === cookies[0]?.value,
      'the reconnect says hello with the chat id',
    );
    const shown = await page.locator('.msg.visitor').count();
    check(shown === 3, `no message shown twice after the reconnect (${shown} visitor messages)`);

    fake.closeConversation();
    await page.getByText('How was this chat?').waitFor();
    await shot(page, '06-rating');
    await page.getByRole('button', { name: '5 out of 5' }).click();
    await page.getByText('Thank you for your rating.').waitFor();
  }

  await page.getByRole('button', { name: 'Email me the transcript' }).click();
  await page.getByRole('textbox', { name: 'Email' }).fill('visitor@example.com');
  await shot(page, '07-transcript');
  await page.getByRole('button', { name: 'Send transcript' }).click();
  await page.getByText('The transcript is on its way').waitFor();

  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, '08-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  check(
    await page.evaluate(
      () => document.querySelector('parley-widget')?.shadowRoot?.activeElement?.className === 'launcher',
    ),
    'Escape closes the panel and focus returns to the launcher',
  );

  // A new page of the same site: the chat carries on.
  await page.goto(`${base}/demo?page=2`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByText(/we ship to Berlin/).waitFor();
  check(true, 'CK-3: on the next page, opening the chat brings the conversation back');
  await optOut(page, context, requests, fake);
  await context.close();
}

async function optOut(
  page: Page,
  context: BrowserContext,
  requests: string[],
  fake: FakeChatServer | undefined,
): Promise<void> {
  await page.getByRole('button', { name: 'Turn chat off' }).click();
  await page.getByText(/^No chat, no cookies/).waitFor();
  await shot(page, '09-opt-out-confirm');
  await page.getByRole('button', { name: 'Turn chat off' }).last().click();
  await page.getByText('Chat is off.', { exact: false }).waitFor({ timeout: 6_000 });
  await shot(page, '10-opted-out');
  const after = await widgetCookies(context);
  check(
    after.length === 1 && after[0]?.name === 'parley_opt_out' && after[0].value === '1',
    `CK-4: after turning chat off only the opt-out cookie remains (${after.map((c) => c.name).join(', ')})`,
  );
  if (fake) {
    const optOut = fake.received.find((frame) => frame.type === 'opt_out');
    check(
      optOut?.type === 'opt_out' && optOut.text.startsWith('Turn chat off?\nNo chat, no cookies'),
      'CK-4: the server got the exact text the visitor confirmed',
    );
  }
  requests.length = 0;
  await page.reload();
  await page.waitForTimeout(800);
  check((await page.locator('parley-widget').count()) === 0, 'CK-4: after reloading, no launcher at all');
  check(
    !requests.some((url) => url.includes('/ws/') || /chat(\.\w+)?\.js$/.test(url)),
    'CK-4: and no chat requests',
  );
}

async function variants(browser: Browser, base: string, fake: FakeChatServer | undefined): Promise<void> {
  // German, nobody online: the offline form.
  {
    const context = await browser.newContext({ viewport: PHONE, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${base}/demo?lang=de&account=demo-offline`);
    await page.getByRole('button', { name: 'Chat öffnen' }).click();
    await page.getByText(/Gerade ist niemand online/).waitFor();
    await page.getByRole('button', { name: 'Nachricht senden' }).click();
    check(
      (await page.getByText('Bitte geben Sie eine gültige E-Mail-Adresse ein.').count()) +
        (await page.getByText('Bitte ausfüllen.').count()) >
        0,
      'the offline form explains what is missing',
    );
    await shot(page, '11-offline-de');
    await page.getByRole('textbox', { name: 'E-Mail' }).fill('besuch@example.de');
    await page.getByRole('textbox', { name: 'Nachricht' }).fill('Haben Sie grünen Tee?');
    await page.getByRole('button', { name: 'Nachricht senden' }).click();
    await page.getByText(/Vielen Dank! Wir antworten an besuch@example.de/).waitFor();
    await shot(page, '12-offline-sent-de');
    await context.close();
  }
  // Pre-chat form, dark mode (the fake server has an account that asks for one).
  if (fake) {
    const context = await browser.newContext({ viewport: PHONE, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${base}/demo?account=demo-prechat`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText(/Before we start/).waitFor();
    await shot(page, '13-prechat-dark');
    await page.getByRole('textbox', { name: /Name/ }).fill('Sam');
    await page.getByRole('textbox', { name: 'Email' }).fill('sam@example.com');
    await page.getByRole('button', { name: 'Start chat' }).click();
    await page.getByRole('textbox', { name: 'Your message' }).waitFor();
    check(true, 'the pre-chat form leads to the chat');
    await context.close();
  }
  // SIG-1: Global Privacy Control makes the chat id a session cookie.
  {
    const context = await browser.newContext({ viewport: PHONE });
    // A string, not a function: tsx rewrites functions in ways that do not survive the trip into the page.
    await context.addInitScript({
      content: "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });",
    });
    const page = await context.newPage();
    await page.goto(`${base}/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await chatReady(page);
    await page.waitForTimeout(300);
    const cookies = await widgetCookies(context);
    check(
      cookies.length === 1 && cookies[0]?.expires === -1,
      'SIG-1: under GPC the chat-id cookie is a session cookie',
    );
    if (fake) {
      const hello = fake.received.filter((frame) => frame.type === 'hello').at(-1);
      check(
        hello?.type === 'hello' && hello.persistent === false,
        'SIG-1: under GPC hello says persistent: false',
      );
    }
    await context.close();
  }
  // A desktop window, and a site with hostile global CSS.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/demo?hostile=1`);
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
    const size = await page.evaluate(() => {
      const button = document.querySelector('parley-widget')?.shadowRoot?.querySelector('.launcher');
      const box = button?.getBoundingClientRect();
      return box ? [box.width, box.height] : [];
    });
    check(size[0] === 56 && size[1] === 56, `the page's CSS cannot reshape the launcher (${size.join('×')})`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await chatReady(page);
    await page.waitForTimeout(300);
    await shot(page, '14-desktop-hostile-css');
    await context.close();
  }
  // 360px, the narrowest phone the issue names.
  {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${base}/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await chatReady(page);
    const box = await page.getByRole('dialog').boundingBox();
    check(box?.width === 360 && box.height === 640, 'at 360px the panel fills the screen');
    const overflow = await page.evaluate(() => {
      const panel = document.querySelector('parley-widget')?.shadowRoot?.querySelector('.panel');
      return panel ? panel.scrollWidth > panel.clientWidth : true;
    });
    check(!overflow, 'nothing overflows sideways at 360px');
    await shot(page, '15-360px');
    await context.close();
  }
  // A website's own launcher: its colour, side and label, Polish for a Polish browser, its pre-chat fields.
  if (fake) {
    const context = await browser.newContext({ viewport: PHONE, locale: 'pl-PL' });
    const page = await context.newPage();
    await page.goto(`${base}/demo?website=${WEBSITE.key}`);
    const launcher = page.getByRole('button', { name: 'Otwórz czat' });
    await launcher.waitFor();
    check((await launcher.textContent()) === WEBSITE.label, "a website's launcher shows its label");
    await shot(page, '16-website-pl');
    await launcher.click();
    await page.getByRole('button', { name: 'Rozpocznij czat' }).waitFor();
    check(
      (await page.getByRole('textbox', { name: /E-mail/ }).count()) === 1,
      "a website's chat speaks Polish and asks for the fields it wants",
    );
    await page.waitForTimeout(300);
    await shot(page, '17-website-open-pl');
    await context.close();
  }
  // An account the server does not know.
  if (fake) {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${base}/demo?account=unknown`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    await page.getByText('Chat is not available right now.').first().waitFor();
    check((await widgetCookies(context)).length === 0, 'a refused connection leaves no cookie');
    await context.close();
  }
}

await main();
