import { recordCspViolations } from '@parley/chromium';
import type { Browser, BrowserContext, BrowserContextOptions, Page, WebSocket } from 'playwright-core';

/**
 * Pages each in a browser context of its own (another person, or another browser of the same person), recording CSP
 * violations and the WebSockets they open; `closeAll` ends every context.
 */
export function browserPages(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  return {
    /** `options` as Playwright takes them for a context, e.g. the `locale` the browser speaks. */
    async newPage(options: BrowserContextOptions = {}): Promise<{ page: Page; sockets: WebSocket[] }> {
      const context = await browser().newContext(options);
      contexts.push(context);
      await recordCspViolations(context);
      const page = await context.newPage();
      const sockets: WebSocket[] = [];
      page.on('websocket', (socket) => sockets.push(socket));
      return { page, sockets };
    },
    async closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close().catch(() => {});
    },
  };
}
