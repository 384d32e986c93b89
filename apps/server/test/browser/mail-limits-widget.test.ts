import { launchChromium } from '@parley/chromium';
import { hashPassword, recipientKey } from '@parley/db';
import { createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';
import { FIXTURE_PASSWORD, insertRows } from '@parley/db/testing';
import { STRINGS } from '@parley/widget';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import {
  connectAgent,
  startTestServer,
  type TestServer,
  type TestSocket,
} from '../../src/testing/test-app.ts';

// In Chromium, on /demo: when a mail limit refuses a transcript, the widget says which limit, in words.

const { assets } = locateAssets();
const OWNER = { email: 'mia@demo-limits.test', name: 'Mia' };
const en = STRINGS.en;

let browser: Browser;
let server: TestServer;
let agent: TestSocket;

beforeAll(async () => {
  if (assets.widget === null) throw new Error('The widget must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  const demo = await createAccountWithOwner(server.db, {
    organization: 'Demo Limits',
    region: 'DE',
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}limits00000000000000`,
    owner: { email: OWNER.email, name: OWNER.name, passwordHash: await hashPassword(FIXTURE_PASSWORD) },
  });
  agent = (await connectAgent(server, OWNER.email)).socket;
  agent.send({ type: 'status', online: true });
  // The widget asks the server whether anyone is online: wait until the server has taken the status.
  while ((await server.parley.services.presence.count(demo.accountId)) === 0)
    await new Promise((resolve) => setTimeout(resolve, 10));
  browser = await launchChromium();
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await server?.close();
});

const widget = (page: Page) => page.locator('parley-widget');
const notice = (page: Page) => page.locator('parley-widget .notice');

/** Asks for the transcript from the widget and returns the notice the widget shows for the answer. */
async function askTranscript(page: Page, email: string): Promise<string> {
  const form = page.locator('parley-widget form.transcript');
  if (await form.isHidden()) await widget(page).getByRole('button', { name: en.transcript }).click();
  await form.getByRole('textbox', { name: en.email }).fill(email);
  await notice(page).evaluate((element) => {
    element.textContent = '';
  });
  await form.getByRole('button', { name: en.transcriptSend }).click();
  await expect.poll(() => notice(page).textContent(), { timeout: 10_000 }).not.toBe('');
  return (await notice(page).textContent()) ?? '';
}

describe('SEC-1: the widget when a mail limit refuses a transcript', () => {
  it('says that an address has had all its mail for today, and that a chat’s transcript was sent as often as it can be', async () => {
    // Someone has already had five mails today at this address.
    const full = 'full-inbox@example.test';
    await insertRows(server.db, 'mailLimits', [
      {
        scope: 'recipient',
        key: recipientKey(server.parley.services.secrets.mailLimitKey, full),
        windowStart: Date.now(),
        count: 5,
      },
    ]);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.running.url}/demo`, { waitUntil: 'load' });
    await widget(page).locator('button.launcher').click();
    await expect.poll(() => page.locator('parley-widget .panel .status').textContent()).toBe(en.online);
    const input = page.getByLabel(en.inputLabel);
    await input.fill('Please send me this chat.');
    await input.press('Enter');
    await page.locator('parley-widget .msg.visitor:not(.pending)').waitFor({ state: 'visible' });

    expect(await askTranscript(page, full)).toBe(en.errorRecipientLimit);
    // That refusal counted nothing against the conversation: three transcripts still go.
    for (let i = 0; i < 3; i++)
      expect(await askTranscript(page, `me${i}@example.test`)).toBe(en.transcriptDone);
    expect(await askTranscript(page, 'me@example.test')).toBe(en.errorTranscriptLimit);
    await context.close();
  });
});
