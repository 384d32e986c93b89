import { cspViolations, launchChromium } from '@parley/chromium';
import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { axeViolations } from './axe.ts';
import { browserPages } from './browser-pages.ts';
import { signInThroughForm } from './sign-in-page.ts';

// In Chromium: the owner searches the history for a word of Anna's conversation (a fixture's), whatever its case,
// sees the conversation with the word marked in a snippet of the message, opens it, reads its transcript, and finds
// the search still there; a word of an internal note finds the conversation too, marked as a note.

const { assets } = locateAssets();
const built = assets.dashboard !== null;
const OLIVIA = { ...FIXTURE.agents.acmeOwner, password: FIXTURE_PASSWORD };

let browser: Browser;
let server: TestServer;
const pages = browserPages(() => browser);

beforeAll(async () => {
  if (!built) throw new Error('The dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

describe('searching the history, in Chromium', () => {
  it('an agent finds a conversation by a word of its messages, opens it, and comes back to the search', {
    timeout: 60_000,
  }, async () => {
    const { page } = await pages.newPage({ locale: 'en-US' });
    await signInThroughForm(page, server.running.url, OLIVIA);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    const search = page.getByRole('search', { name: 'Search conversations' });
    await search.getByLabel('Words').fill('AUSTRIA');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 conversation found.').waitFor();

    const results = page.getByRole('list', { name: 'Search results' });
    const result = results.getByRole('listitem');
    expect(await result.count()).toBe(1);
    expect(await result.locator('.search-snippet').textContent()).toBe(
      'Visitor: Do you ship roses to Austria?',
    );
    expect(await result.locator('mark').allTextContents()).toEqual(['Austria']);
    expect(await axeViolations(page)).toEqual([]);

    await result.getByRole('link', { name: 'Anna Visitor' }).click();
    await page.getByRole('heading', { name: 'Conversation with Anna Visitor' }).waitFor();
    await page.getByText('Wonderful, thanks!').waitFor();
    // The search is still there, run again, with the open conversation marked as the current one.
    expect(await search.getByLabel('Words').inputValue()).toBe('AUSTRIA');
    await results.getByRole('link', { name: 'Anna Visitor', exact: true }).waitFor();
    expect(await results.getByRole('link', { name: 'Anna Visitor' }).getAttribute('aria-current')).toBe(
      'page',
    );

    await search.getByLabel('Words').fill('vienna');
    await search.getByRole('button', { name: 'Search' }).click();
    await results.getByText('Note: Regular customer, ships to Vienna.').waitFor();
    expect(await results.locator('mark').allTextContents()).toEqual(['Vienna']);

    await search.getByRole('button', { name: 'Clear' }).click();
    expect(await results.getByRole('listitem').count()).toBe(0);
    expect(await cspViolations(page)).toEqual([]);
  });
});
