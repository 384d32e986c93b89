import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@parley/chromium';
import { PROACTIVE_TEXT_MAX, pathsPattern } from '@parley/db';
import {
  type ChatSettings,
  type LauncherSettings,
  WIDGET_LANGUAGES,
  type WidgetLanguage,
} from '@parley/protocol';
import { chatScriptPath, launcherScriptFor, websiteLauncherPath, widgetBundle } from '@parley/widget';
import type { Browser, BrowserContextOptions, Page, Request } from 'playwright-core';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { startParley, tempDir } from './servers.ts';

/**
 * What the widget costs a page. A real Chromium loads Parley's `/demo` page and every response
 * from the chat server's origin is counted, first before the visitor does anything, then after they open the chat.
 * The demo page itself (its HTML and stylesheet) stands in for the customer's site and is reported apart.
 * The same is then done from a page on another origin, as a customer's site really is.
 */

/**
 * A website's full settings, which the budgets hold for: every option set, each text at its longest (a 40-character
 * label, a 500-character greeting) and all eight languages offered. The texts are real sentences, not repeated
 * letters, which gzip would make look cheaper than a website's own words are.
 */
export const FULL_SETTINGS = {
  launcher: (key: string): LauncherSettings => ({
    key,
    color: '#0f7b6c',
    position: 'left',
    label: 'Fragen zur Bestellung? Wir helfen gern!!'.slice(0, 40),
    languages: [...WIDGET_LANGUAGES],
    onColor: '#fff',
  }),
  /**
   * A proactive greeting at its longest (140 characters) for five pages, as the server writes it in. Measured apart:
   * a website with one carries it in the launcher every page loads.
   */
  greet: {
    path: pathsPattern(['/tee/*', '/geschenke/*', '/bestellung', '/versand', '/kontakt']),
    after: 30,
    text: (
      'Guten Tag! Sie sehen sich unsere Teemischungen an? Fragen Sie uns gern nach Geschmack, Herkunft und ' +
      'Zubereitung – wir antworten sofort, solange jemand im Laden ist.'
    ).slice(0, PROACTIVE_TEXT_MAX),
  },
  chat: {
    greeting: (
      'Willkommen im Teeladen am Markt! Schön, dass Sie da sind. Wir beraten Sie gern zu grünem, schwarzem und ' +
      'weißem Tee, zu Kräutermischungen ohne Zusatzstoffe und zur richtigen Zubereitung mit der passenden ' +
      'Wassertemperatur. Fragen zu Ihrer Bestellung, zum Versand nach Österreich und in die Schweiz oder zu ' +
      'Geschenkgutscheinen beantworten wir werktags von neun bis achtzehn Uhr meist innerhalb weniger Minuten. ' +
      'Außerhalb dieser Zeiten hinterlassen Sie uns einfach eine Nachricht mit Ihrer E-Mail-Adresse, wir melden ' +
      'uns am nächsten Morgen. Ihr Team vom Teeladen.'
    ).slice(0, 500),
    preChat: { name: 'required', email: 'required' },
    transcripts: true,
    ratings: true,
  } satisfies ChatSettings,
};

export const COMPETITORS = [
  { name: 'Chatwoot', size: '≈ 170 KiB' },
  { name: 'Zendesk Chat', size: '≈ 207 KB' },
  { name: 'Crisp', size: '≈ 130 KB' },
];

interface Fetched {
  url: string;
  path: string;
  status: number;
  /** Body bytes as served, uncompressed. */
  raw: number;
  /** The body gzipped at level 9, as the widget build reports it. */
  gzip: number;
  /** Bytes on the wire: headers + body as sent (the server's own compression, if any). */
  wire: number;
  resourceType: string;
}

interface Phase {
  fetched: Fetched[];
  socketFramesIn: number;
  socketBytesIn: number;
  socketFramesOut: number;
  socketBytesOut: number;
}

const sum = (list: Fetched[], key: 'raw' | 'gzip' | 'wire') => list.reduce((n, f) => n + f[key], 0);

async function quiet(page: Page, pending: () => number, idleMs = 750, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let idleSince = Date.now();
  while (Date.now() < deadline) {
    if (pending() > 0) idleSince = Date.now();
    else if (Date.now() - idleSince >= idleMs) return;
    await page.waitForTimeout(50);
  }
}

/**
 * Loads `pageUrl`, waits, opens the chat, waits again; returns what came from `chatOrigin` in each phase. `serve`
 * answers one path of the chat server in its place (a website's launcher, with settings the website does not have).
 */
async function measurePage(
  browser: Browser,
  pageUrl: string,
  chatOrigin: string,
  hostPaths: Set<string>,
  options: { context?: BrowserContextOptions; serve?: { path: string; body: string } } = {},
) {
  const context = await browser.newContext(options.context);
  const page = await context.newPage();
  const serve = options.serve;
  if (serve)
    await page.route(`${chatOrigin}${serve.path}`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: serve.body }),
    );
  const before: Phase = {
    fetched: [],
    socketFramesIn: 0,
    socketBytesIn: 0,
    socketFramesOut: 0,
    socketBytesOut: 0,
  };
  const after: Phase = {
    fetched: [],
    socketFramesIn: 0,
    socketBytesIn: 0,
    socketFramesOut: 0,
    socketBytesOut: 0,
  };
  const host: Fetched[] = [];
  let phase = before;
  let inFlight = 0;
  let welcomed!: () => void;
  const welcome = new Promise<void>((resolve) => {
    welcomed = resolve;
  });

  const record = async (request: Request) => {
    try {
      const url = new URL(request.url());
      if (url.origin !== chatOrigin) return;
      const response = await request.response();
      if (!response) return;
      const body =
        response.status() === 101 ? Buffer.alloc(0) : await response.body().catch(() => Buffer.alloc(0));
      const sizes = await request.sizes();
      const entry: Fetched = {
        url: request.url(),
        path: url.pathname,
        status: response.status(),
        raw: body.length,
        gzip: body.length === 0 ? 0 : gzipSync(body, { level: 9 }).length,
        wire: sizes.responseHeadersSize + sizes.responseBodySize,
        resourceType: request.resourceType(),
      };
      (hostPaths.has(url.pathname) ? host : phase.fetched).push(entry);
    } finally {
      inFlight--;
    }
  };
  page.on('request', () => {
    inFlight++;
  });
  page.on('requestfinished', (request) => void record(request));
  page.on('requestfailed', () => {
    inFlight--;
  });
  page.on('websocket', (ws) => {
    const owner = phase;
    if (new URL(ws.url()).origin.replace(/^ws/, 'http') !== chatOrigin) return;
    owner.fetched.push({
      url: ws.url(),
      path: new URL(ws.url()).pathname,
      status: 101,
      raw: 0,
      gzip: 0,
      wire: 0,
      resourceType: 'websocket',
    });
    ws.on('framereceived', (frame) => {
      owner.socketFramesIn++;
      owner.socketBytesIn += Buffer.byteLength(frame.payload);
      if (String(frame.payload).includes('"type":"welcome"')) welcomed();
    });
    ws.on('framesent', (frame) => {
      owner.socketFramesOut++;
      owner.socketBytesOut += Buffer.byteLength(frame.payload);
    });
  });

  await page.goto(pageUrl, { waitUntil: 'load' });
  await quiet(page, () => inFlight, 1500);
  const cookiesBefore = await context.cookies();
  const storageBefore = await page.evaluate(() => localStorage.length + sessionStorage.length);

  phase = after;
  const launcher = page.locator('parley-widget button.launcher');
  await launcher.click();
  const gotWelcome = await Promise.race([
    welcome.then(() => true),
    page.waitForTimeout(15_000).then(() => false),
  ]);
  await quiet(page, () => inFlight, 1000);
  await context.close();
  return { before, after, host, cookiesBefore: cookiesBefore.length, storageBefore, welcomed: gotWelcome };
}

/**
 * A stand-in for a customer's site on another origin, embedding the script tag as the install page says: at `/` the
 * plain launcher, at `/website` the website's own.
 */
function customerSite(chatOrigin: string, publicKey: string): Promise<Server> {
  const page = (
    script: string,
  ) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer</title></head>
<body><h1>A customer's shop</h1>${script}</body></html>`;
  const pages: Record<string, string> = {
    '/': page(`<script src="${chatOrigin}/widget.js" data-account="${publicKey}" async></script>`),
    '/website': page(`<script src="${chatOrigin}${websiteLauncherPath(publicKey)}" async></script>`),
  };
  const server = createServer((req, res) => {
    const html = pages[req.url ?? ''];
    if (html) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const kb = (bytes: number) => `${round(bytes / 1024, 2)} KB`;
const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

/**
 * The built files, measured without a browser: the launcher with full settings written in, and per language the
 * chat a visitor loads on opening plus the welcome frame with the website's full chat settings.
 */
export function measureBundles(publicKey: string) {
  const launcher = readFileSync(widgetBundle.launcher, 'utf8');
  const baked = launcherScriptFor(launcher, FULL_SETTINGS.launcher(publicKey));
  const greeting = launcherScriptFor(launcher, {
    ...FULL_SETTINGS.launcher(publicKey),
    greet: FULL_SETTINGS.greet,
  });
  const welcome = JSON.stringify({
    type: 'welcome',
    chatId: 'x'.repeat(24),
    agentsOnline: true,
    preChatForm: true,
    settings: FULL_SETTINGS.chat,
    conversation: null,
    messages: [],
  });
  const welcomeBytes = Buffer.byteLength(welcome);
  const languages = WIDGET_LANGUAGES.map((lang) => {
    const chat = readFileSync(widgetBundle.chatIn(lang), 'utf8');
    return {
      lang,
      file: chatScriptPath(lang),
      raw: Buffer.byteLength(chat),
      gzip: gzip(chat),
      onOpening: gzip(chat) + welcomeBytes,
    };
  });
  return {
    launcher: { raw: Buffer.byteLength(launcher), gzip: gzip(launcher) },
    launcherFull: { raw: Buffer.byteLength(baked), gzip: gzip(baked) },
    launcherGreeting: { raw: Buffer.byteLength(greeting), gzip: gzip(greeting) },
    welcomeBytes,
    languages,
  };
}

export async function runWidgetWeight(log: (line: string) => void = console.log) {
  const finish = startResult('widget-weight');
  // Launched first: without Chromium there is nothing to measure, and nothing to start and stop again.
  const browser = await launchChromium();
  const dir = tempDir('widget');
  const server = await startParley(dir.path);
  const runs: Array<{ page: string; result: Awaited<ReturnType<typeof measurePage>> }> = [];
  const websiteRuns: Array<{ lang: WidgetLanguage; result: Awaited<ReturnType<typeof measurePage>> }> = [];
  let websiteRoute = '';
  let bundles: ReturnType<typeof measureBundles> | undefined;
  let site: Server | null = null;
  try {
    const origin = server.baseUrl;
    const demoHtml = await (await fetch(`${origin}/demo`)).text();
    const publicKey = /data-account="([^"]+)"/.exec(demoHtml)?.[1];
    if (!publicKey) throw new Error('the /demo page embeds no widget (no demo account?)');
    runs.push({
      page: '/demo (same origin)',
      result: await measurePage(
        browser,
        `${origin}/demo`,
        origin,
        new Set(['/demo', '/demo/demo.css', '/favicon.ico']),
      ),
    });
    site = await customerSite(origin, publicKey);
    const siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
    runs.push({
      page: 'customer page on another origin',
      result: await measurePage(browser, siteUrl, origin, new Set(['/favicon.ico'])),
    });
    // The website's own launcher with full settings, once per language: the browser's language picks the chat.
    // The demo website's own settings are not the full ones, so the page is given the launcher the route would
    // send for a website with full settings: the server writes them into the bundle with this same function.
    const plain = await (await fetch(`${origin}/widget.js`)).text();
    const served = await fetch(`${origin}${websiteLauncherPath(publicKey)}`);
    await served.arrayBuffer();
    if (served.status !== 200) throw new Error(`the server does not serve ${websiteLauncherPath(publicKey)}`);
    const serve = {
      serve: {
        path: websiteLauncherPath(publicKey),
        body: launcherScriptFor(plain, FULL_SETTINGS.launcher(publicKey)),
      },
    };
    for (const lang of WIDGET_LANGUAGES)
      websiteRuns.push({
        lang,
        result: await measurePage(browser, `${siteUrl}website`, origin, new Set(['/favicon.ico']), {
          context: { locale: lang },
          ...serve,
        }),
      });
    websiteRoute = 'the route’s bundle, with full settings written in as the route writes them';
    bundles = measureBundles(publicKey);
  } finally {
    await browser.close();
    site?.close();
    await server.stop();
    dir.remove();
  }

  const rows: Array<Array<string | number>> = [];
  for (const { page, result } of runs) {
    const b = result.before.fetched;
    const a = result.after.fetched;
    rows.push([
      page,
      'before the visitor acts',
      b.map((f) => `${f.path} (${f.status})`).join(', ') || 'nothing',
      `${kb(sum(b, 'raw'))} / ${kb(sum(b, 'gzip'))}`,
      kb(sum(b, 'wire')),
      '—',
    ]);
    rows.push([
      page,
      'opening the chat adds',
      a.map((f) => `${f.path} (${f.status})`).join(', '),
      `${kb(sum(a, 'raw'))} / ${kb(sum(a, 'gzip'))}`,
      kb(sum(a, 'wire')),
      `${result.after.socketFramesIn} in (${kb(result.after.socketBytesIn)}), ${result.after.socketFramesOut} out (${kb(result.after.socketBytesOut)})`,
    ]);
  }
  log(
    table(
      [
        'page',
        'phase',
        'responses from the chat server',
        'raw / gzip -9',
        'on the wire (headers + body as served)',
        'WebSocket frames',
      ],
      rows,
    ),
  );

  const demo = runs[0]!.result;
  const before = demo.before.fetched;
  const extraBefore = before.filter((f) => f.path !== '/widget.js').length;
  const beforeGzip = sum(before, 'gzip');
  const afterGzip = beforeGzip + sum(demo.after.fetched, 'gzip') + demo.after.socketBytesIn;
  const afterRaw = sum(before, 'raw') + sum(demo.after.fetched, 'raw') + demo.after.socketBytesIn;
  log('');
  log(`requests to the chat server besides the script tag: ${extraBefore}`);
  log(`cookies before the visitor acts: ${demo.cookiesBefore}; storage entries: ${demo.storageBefore}`);
  log(`widget.js: ${kb(sum(before, 'raw'))} raw, ${kb(beforeGzip)} gzip`);
  log(
    `after opening the chat (widget.js + chat.js + WebSocket frames received): ${kb(afterRaw)} raw, ${kb(afterGzip)} gzip-equivalent` +
      ` (frames counted uncompressed)${demo.welcomed ? '' : ' — the chat never received its welcome frame'}`,
  );
  log(
    `for scale, other widgets before any click: ${COMPETITORS.map((c) => `${c.name} ${c.size}`).join(', ')}`,
  );

  // A website's own launcher with full settings, in a browser set to each language.
  log('');
  log(`a website's launcher with full settings (${websiteRoute}), on a customer page, per browser language:`);
  const onOpening = (result: Awaited<ReturnType<typeof measurePage>>) =>
    sum(result.after.fetched, 'gzip') + result.after.socketBytesIn;
  log(
    table(
      [
        'language',
        'before the visitor acts (gzip)',
        'opening the chat adds',
        'gzip, frames uncompressed',
        'welcomed',
      ],
      websiteRuns.map(({ lang, result }) => [
        lang,
        `${result.before.fetched.map((f) => `${f.path.replace(/\/w\/[^/]+\//, '/w/KEY/')} ${kb(f.gzip)}`).join(', ')}`,
        result.after.fetched.map((f) => `${f.path} (${f.status})`).join(', '),
        kb(onOpening(result)),
        result.welcomed ? 'yes' : 'no',
      ]),
    ),
  );
  if (bundles) {
    log('');
    log(
      `the built files: widget.js ${kb(bundles.launcher.gzip)} gzip, ${kb(bundles.launcherFull.gzip)} with full settings, ` +
        `${kb(bundles.launcherGreeting.gzip)} with a proactive greeting too; ` +
        `the welcome frame with full chat settings ${kb(bundles.welcomeBytes)} uncompressed`,
    );
    log(
      table(
        ['language', 'chat file', 'raw', 'gzip -9', 'on opening: chat gzip + welcome frame'],
        bundles.languages.map((each) => [
          each.lang,
          each.file,
          kb(each.raw),
          kb(each.gzip),
          kb(each.onOpening),
        ]),
      ),
    );
  }
  const websiteBefore = Math.max(...websiteRuns.map(({ result }) => sum(result.before.fetched, 'gzip')));
  const websiteExtraBefore = Math.max(...websiteRuns.map(({ result }) => result.before.fetched.length - 1));
  const heaviest = websiteRuns.reduce((a, b) => (onOpening(b.result) > onOpening(a.result) ? b : a));

  const verdicts: Verdict[] = [
    {
      benchmark: 'widget weight',
      metric: 'widget.js gzip, before the visitor acts',
      value: kb(beforeGzip),
      target: '≤ 2 KB',
      met: beforeGzip <= 2048,
    },
    {
      benchmark: 'widget weight',
      metric: 'a website’s widget.js gzip with full settings, before the visitor acts',
      value: kb(websiteBefore),
      target: '≤ 2 KB',
      met: websiteBefore <= 2048,
    },
    {
      benchmark: 'widget weight',
      metric:
        'a website’s widget.js gzip with full settings and a 140-character proactive greeting (built file)',
      value: bundles ? kb(bundles.launcherGreeting.gzip) : '—',
      target: '≤ 2 KB',
      met: bundles ? bundles.launcherGreeting.gzip <= 2048 : null,
    },
    {
      benchmark: 'widget weight',
      metric: 'requests to the chat server besides the script tag',
      value: String(Math.max(extraBefore, websiteExtraBefore)),
      target: '0',
      met: extraBefore === 0 && websiteExtraBefore === 0,
    },
    {
      benchmark: 'widget weight',
      metric: `loaded on opening the chat, heaviest language (${heaviest.lang}), full settings (gzip)`,
      value: kb(onOpening(heaviest.result)),
      target: '≤ 15 KB',
      met: onOpening(heaviest.result) <= 15 * 1024 && websiteRuns.every(({ result }) => result.welcomed),
    },
    {
      benchmark: 'widget weight',
      metric: 'total after opening the chat, /demo (gzip)',
      value: kb(afterGzip),
      target: '—',
      met: null,
    },
  ];
  return finish(verdicts, {
    runs,
    websiteRuns,
    websiteRoute,
    bundles,
    fullSettings: FULL_SETTINGS,
    competitors: COMPETITORS,
  });
}

if (isMain(import.meta.url)) await runWidgetWeight();
