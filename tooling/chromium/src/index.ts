import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type LaunchOptions, type Page } from 'playwright-core';

/** Debian's Chromium; browser tests never download a browser of their own. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium for Parley's browser tests and benchmarks. Background networking, component updates, sync and
 * QUIC are off, so the browser makes no request of its own that a test could mistake for Parley's.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
] as const;

/** Fails loudly when Chromium is missing: a browser test that quietly skips proves nothing. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(chromiumPath())) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath()}: install Debian's chromium package or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath(),
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/** Makes every page of `context` record the Content-Security-Policy violations it reports, from its first script. */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
}

/** The CSP violations `page` has reported so far (`directive blocked-uri`), in a context set up by `recordCspViolations`. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}
