import { existsSync } from 'node:fs';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

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
