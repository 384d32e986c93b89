import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '@parley/chromium';
import type { Browser, Page, Request } from 'playwright-core';
import { isMain, round, startResult, table, type Verdict } from './report.ts';
import { startParley, tempDir } from './servers.ts';

/**
 * What the widget costs a page. A real Chromium loads Parley's `/demo` page and every response
 * from the chat server's origin is counted, first before the visitor does anything, then after they open the chat.
 * The demo page itself (its HTML and stylesheet) stands in for the customer's site and is reported apart.
 * The same is then done from a page on another origin, as a customer's site really is.
 */

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

/** Loads `pageUrl`, waits, opens the chat, waits again; returns what came from `chatOrigin` in each phase. */
async function measurePage(browser: Browser, pageUrl: string, chatOrigin: string, hostPaths: Set<string>) {
  const context = await browser.newContext();
  const page = await context.newPage();
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

/** A stand-in for a customer's site on another origin, embedding the script tag as the install page says. */
function customerSite(chatOrigin: string, publicKey: string): Promise<Server> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer</title></head>
<body><h1>A customer's shop</h1><script src="${chatOrigin}/widget.js" data-account="${publicKey}" async></script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/') {
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

export async function runWidgetWeight(log: (line: string) => void = console.log) {
  const finish = startResult('widget-weight');
  // Launched first: without Chromium there is nothing to measure, and nothing to start and stop again.
  const browser = await launchChromium();
  const dir = tempDir('widget');
  const server = await startParley(dir.path);
  const runs: Array<{ page: string; result: Awaited<ReturnType<typeof measurePage>> }> = [];
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
      metric: 'requests to the chat server besides the script tag',
      value: String(extraBefore),
      target: '0',
      met: extraBefore === 0,
    },
    {
      benchmark: 'widget weight',
      metric: 'total after opening the chat (gzip)',
      value: kb(afterGzip),
      target: '≤ 15 KB',
      met: afterGzip <= 15 * 1024 && demo.welcomed,
    },
  ];
  return finish(verdicts, { runs, competitors: COMPETITORS });
}

if (isMain(import.meta.url)) await runWidgetWeight();
