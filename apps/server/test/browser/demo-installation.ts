import { launchChromium } from '@parley/chromium';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { DemoCredentials } from '../../src/demo/demo-account.ts';
import { startTestParley, type TestParley } from '../../src/testing/test-parley.ts';
import { browserPages } from './browser-pages.ts';

/**
 * A whole Parley as `npm start` runs it, started before the file's tests with Chromium beside it and removed after
 * them: its demo account's owner, the first staff member of its console, and pages each in a context of its own.
 */
export function demoInstallation() {
  let browser: Browser | undefined;
  let parley: TestParley | undefined;
  const pages = browserPages(() => {
    if (!browser) throw new Error('Chromium has not started');
    return browser;
  });
  beforeAll(async () => {
    parley = await startTestParley();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await pages.closeAll();
    await browser?.close();
    await parley?.remove();
  });
  const running = (): TestParley => {
    if (!parley) throw new Error('Parley has not started');
    return parley;
  };
  return {
    newPage: pages.newPage,
    get chatUrl(): string {
      return running().addresses.chat;
    },
    get adminUrl(): string {
      const admin = running().addresses.admin;
      if (!admin) throw new Error('the admin console is not running');
      return admin;
    },
    get mailFolder(): string {
      return `${running().dataDir}/mail`;
    },
    get demo(): DemoCredentials {
      const demo = running().parley.demo;
      if (!demo) throw new Error('the first start should have made the demo account');
      return demo;
    },
    get staff(): { email: string; password: string } {
      const staff = running().parley.firstStaff;
      if (!staff) throw new Error('the first start should have made the first staff member');
      return staff;
    },
  };
}
