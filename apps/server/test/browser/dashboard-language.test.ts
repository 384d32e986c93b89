import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../../src/testing/test-parley.ts';
import { signInThroughForm } from './sign-in-page.ts';

// The dashboard's language end to end in Chromium, on a whole Parley as `npm start` runs it: an agent whose
// browser speaks English switches the dashboard to German in their profile; the inbox speaks German, a reload keeps
// it, and so does a sign-in from another browser, since the choice is stored with the agent.

let browser: Browser;
let parley: TestParley;
let baseUrl: string;
let owner: { email: string; password: string };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  parley = await startTestParley();
  if (!parley.parley.demo) throw new Error('the first start should have made the demo account');
  owner = { email: parley.parley.demo.email, password: parley.parley.demo.password };
  baseUrl = parley.addresses.chat;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await parley?.remove();
});

async function newPage(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  contexts.push(context);
  await recordCspViolations(context);
  return context.newPage();
}

const pageLanguage = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('the dashboard in German', () => {
  it('an agent switches the dashboard to German in their profile; the inbox speaks German, and a reload keeps it', {
    timeout: 60_000,
  }, async () => {
    const page = await newPage('en-US');
    await signInThroughForm(page, baseUrl, owner);
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await pageLanguage(page)).toBe('en');

    await page.goto(`${baseUrl}/app/#/profile`);
    const language = page.getByLabel('Dashboard language');
    expect(await language.inputValue()).toBe('');
    await language.selectOption('de');
    await page.getByRole('button', { name: 'Save language' }).click();
    await page.getByRole('heading', { name: 'Ihr Profil' }).waitFor();
    expect(await pageLanguage(page)).toBe('de');
    expect(await page.getByLabel('Sprache des Dashboards').inputValue()).toBe('de');

    await page.getByRole('link', { name: 'Posteingang' }).click();
    await page.getByRole('heading', { name: /^Wartend/ }).waitFor();
    await page.getByRole('heading', { name: 'Keine Unterhaltung geöffnet' }).waitFor();
    expect(await page.getByRole('button', { name: 'Abmelden' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Inbox' }).count()).toBe(0);

    await page.reload({ waitUntil: 'load' });
    await page
      .getByRole('navigation', { name: 'Bereiche' })
      .getByRole('link', { name: 'Posteingang' })
      .waitFor();
    await page.getByRole('heading', { name: /^Wartend/ }).waitFor();
    expect(await pageLanguage(page)).toBe('de');

    // The choice belongs to the agent, not to this browser: another English-speaking browser signs in to German.
    const other = await newPage('en-US');
    await other.goto(`${baseUrl}/app`, { waitUntil: 'load' });
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await other.getByRole('textbox', { name: 'Email' }).fill(owner.email);
    await other.getByLabel('Password', { exact: true }).fill(owner.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('button', { name: 'Abmelden' }).waitFor({ state: 'visible' });
    expect(await pageLanguage(other)).toBe('de');

    for (const p of [page, other]) expect(await cspViolations(p)).toEqual([]);
  });

  it('before anyone signs in, the sign-in page speaks the browser’s language', async () => {
    const page = await newPage('de-DE');
    await page.goto(`${baseUrl}/app`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getByRole('link', { name: 'Passwort vergessen?' }).isVisible()).toBe(true);
    expect(await pageLanguage(page)).toBe('de');
    expect(await cspViolations(page)).toEqual([]);
  });
});
