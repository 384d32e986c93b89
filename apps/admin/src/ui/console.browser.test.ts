import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { launchChromium } from '@parley/chromium';
import {
  confirmEnrolment,
  hashRecoveryCode,
  hasSecondFactor,
  newRecoveryCodes,
  type ParleyDb,
  recordDisclosureRequest,
  startEnrolment,
  totpCode,
} from '@parley/db';
import { createTestDatabase, FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import { parleyPolicy } from '@parley/policy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../scripts/build-ui.ts';
import { createAdminApp } from '../admin-app.ts';
import { TEST_KEYRING } from '../testing/admin-harness.ts';
import { SECTIONS } from './shell.ts';

// The console in Debian's Chromium, as staff use it. Skipped where no Chromium is installed.
const MARKUP = '<img src=x onerror="window.__injected=1">';

describe('the console in a browser', { timeout: 60_000 }, () => {
  let browser: Browser;
  let base = '';
  let close = () => {};
  let db: ParleyDb;
  const recoveryCodes: string[] = [];

  beforeAll(async () => {
    const publicDirectory = await mkdtemp(join(tmpdir(), 'parley-admin-ui-'));
    await buildUi(publicDirectory);
    db = await createTestDatabase();
    await recordDisclosureRequest(db, {
      requester: MARKUP,
      legalBasis: 'law: Order 1',
      categories: ['user.contact.email'],
    });
    const app = createAdminApp({ db, policy: parleyPolicy, keyring: TEST_KEYRING, publicDirectory });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;
    close = () => server.close();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    close();
  });

  async function signedInPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(base);
    await page.waitForSelector('input[type=email]:focus');
    await page.keyboard.type(FIXTURE.staff.operator.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(FIXTURE_PASSWORD);
    await page.keyboard.press('Enter');
    // SEC-1: the first sign-in enrols a second factor, the later ones use a recovery code it gave.
    await page.waitForSelector('input[name=code]:focus');
    if (recoveryCodes.length === 0) {
      const secret = (await page.locator('code.secret').textContent()) ?? '';
      expect(await page.locator('svg.qr path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
      await page.keyboard.type(totpCode(secret, Date.now()));
      await page.keyboard.press('Enter');
      await page.waitForSelector('.recovery-codes');
      recoveryCodes.push(...(await page.locator('.recovery-codes code').allTextContents()));
      expect(recoveryCodes).toHaveLength(10);
      await page.getByRole('button', { name: 'I have saved them; continue' }).click();
    } else {
      await page.keyboard.type(recoveryCodes.shift()!);
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('nav.sidebar');
    return { page, problems };
  }

  it('CK-1, SEC-1: signing in with the keyboard, enrolling a second factor, sets only the declared session cookie; signing out removes it', async () => {
    const { page, problems } = await signedInPage();
    const cookies = await page.context().cookies();
    expect(
      cookies.map((c) => ({
        name: c.name,
        httpOnly: c.httpOnly,
        secure: c.secure,
        sameSite: c.sameSite,
        expires: c.expires,
      })),
    ).toEqual([
      { name: 'parley_admin_session', httpOnly: true, secure: true, sameSite: 'Strict', expires: -1 },
    ]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('input[type=email]');
    expect(await page.context().cookies()).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows every section without errors, with a heading and captioned tables', async () => {
    const { page, problems } = await signedInPage();
    for (const section of SECTIONS) {
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: section.label, exact: true })
        .click();
      await page.waitForFunction(
        (label) => document.title.startsWith(label) && !document.querySelector('main[aria-busy]'),
        section.label,
      );
      expect(await page.locator('main h1').count(), section.id).toBe(1);
      expect(await page.locator('main .notice-bad').count(), section.id).toBe(0);
      expect(await page.locator('main table:not(:has(> caption))').count(), section.id).toBe(0);
      expect(await page.locator('[aria-current="page"]').textContent()).toBe(section.label);
    }
    expect(problems).toEqual([]);
  });

  it('SEC-1: removes a locked-out owner’s second factor only given the owner’s own address', async () => {
    const owner = { kind: 'agent' as const, id: FIXTURE.agents.acmeOwner.id };
    await startEnrolment(db, { owner, sealedSecret: 'sealed', now: 1 });
    await confirmEnrolment(db, {
      owner,
      step: 1,
      recoveryCodeHashes: newRecoveryCodes().map(hashRecoveryCode),
      now: 1,
    });
    const { page, problems } = await signedInPage();
    await page.goto(`${base}#/accounts`);
    const acme = 'Acme Gardening GmbH';
    await page.getByRole('button', { name: `Owner’s second factor of ${acme}…` }).click();
    const email = page.getByLabel('Owner’s sign-in email, as they told it to you');
    await email.fill(FIXTURE.agents.acmeAgent.email);
    await page.getByRole('button', { name: 'Remove the owner’s second factor' }).click();
    await page.waitForSelector('main .notice-bad:has-text("not the sign-in email")');
    expect(await hasSecondFactor(db, owner)).toBe(true);
    await email.fill(FIXTURE.agents.acmeOwner.email);
    await page.getByRole('button', { name: 'Remove the owner’s second factor' }).click();
    await page.waitForSelector('main .notice-good:has-text("is removed")');
    expect(await hasSecondFactor(db, owner)).toBe(false);
    // The wrong address's answer is a 404, which Chromium logs as a failed resource; nothing else went wrong.
    expect(problems.filter((problem) => !problem.includes('status of 404'))).toEqual([]);
  });

  it('SHR-1: shows data as text, never as markup', async () => {
    const { page } = await signedInPage();
    await page.goto(`${base}#/disclosures`);
    await page.waitForSelector('caption:has-text("Disclosure register")');
    expect(await page.locator('main tbody').textContent()).toContain(MARKUP);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
  });
});
