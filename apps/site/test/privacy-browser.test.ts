import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@parley/chromium';
import { PROMISE_IDS } from '@parley/policy';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHref, inLanguage, routes } from '../src/routes.ts';
import { model } from './site-dist.ts';
import { serveSite } from './static-server.ts';

const results = fileURLToPath(new URL('../test-results/', import.meta.url));

let browser: Browser;
let server: Awaited<ReturnType<typeof serveSite>>;

beforeAll(async () => {
  server = await serveSite();
  browser = await launchChromium();
  mkdirSync(results, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page in a fresh context and records every request it makes. */
async function visit(path: string, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const response = await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle' });
  return { context, page, requests, response };
}

describe('/privacy in Chromium', () => {
  it('sets no cookie, asks only its own origin, and runs no script', async () => {
    const { context, page, requests, response } = await visit(routes.privacy);
    expect(response?.status()).toBe(200);
    expect(await context.cookies()).toEqual([]);
    expect(requests.length).toBeGreaterThan(1);
    for (const url of requests) expect(new URL(url).origin, url).toBe(server.origin);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.screenshot({ path: `${results}privacy.png`, fullPage: true });
    await context.close();
  });

  it('reaches every promise by its anchor', async () => {
    const { context, page } = await visit(`${routes.privacy}#CK-3`);
    for (const id of PROMISE_IDS) await expect(page.locator(`[id="${id}"]`).count()).resolves.toBe(1);
    expect(await page.locator('[id="CK-3"]').isVisible()).toBe(true);
    await context.close();
  });

  it('is styled in dark mode too, and starts with a skip link', async () => {
    const { context, page } = await visit(routes.privacy, { colorScheme: 'dark' });
    const [background, text] = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return [style.backgroundColor, style.color];
    });
    expect(background).not.toBe(text);
    expect(background).toBe('rgb(17, 19, 21)');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.screenshot({ path: `${results}privacy-dark.png`, fullPage: true });
    await context.close();
  });

  const oldestToNewest = compareHref(model.versions[0]!.version, model.versions.at(-1)!.version);

  it.each([routes.home, routes.privacy, routes.cookies, routes.dataMap, oldestToNewest])(
    'fits a phone screen without sideways scrolling: %s',
    async (path) => {
      const { context, page } = await visit(path, { viewport: { width: 375, height: 740 } });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      if (path === routes.home) await page.screenshot({ path: `${results}home-phone.png`, fullPage: true });
      await context.close();
    },
  );
});

describe('/de/privacy in Chromium', () => {
  it('reads in German, reaches CK-3 by its anchor, and switches to English by a plain link, without script or cookie', async () => {
    const { context, page } = await visit(`${inLanguage(routes.privacy, 'de')}#CK-3`, {
      javaScriptEnabled: false,
    });
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.locator('[id="CK-3"]').isVisible()).toBe(true);
    expect(await page.locator('h1').textContent()).toBe('Datenschutzerklärung');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${server.origin}${routes.privacy}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Privacy policy');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL(`${server.origin}${inLanguage(routes.privacy, 'de')}`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});
