import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import { totpCode } from '@parley/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../../src/testing/test-parley.ts';
import { signInThroughForm } from './sign-in-page.ts';

// SEC-1 end to end in Chromium, on a whole Parley as `npm start` runs it: an agent the owner invited sets up a
// second factor from their profile (the test reads the key from the page's text, as someone typing it into an app
// would, and computes the code), then signs in with a code, and once with a recovery code.

let browser: Browser;
let parley: TestParley;
let baseUrl: string;
const agent = { email: 'ada@example.com', password: 'a long enough passphrase' };
const contexts: BrowserContext[] = [];

/** The owner invites Ada over the API, and Ada accepts with her password. */
async function inviteAgent(owner: { email: string; password: string }): Promise<void> {
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  const signIn = await fetch(`${baseUrl}/app/api/sign-in`, {
    method: 'POST',
    headers,
    body: JSON.stringify(owner),
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const invited = await fetch(`${baseUrl}/app/api/invitations`, {
    method: 'POST',
    headers: { ...headers, cookie, 'x-parley-csrf': csrfToken },
    body: JSON.stringify({ email: agent.email, name: 'Ada' }),
  });
  const { link } = (await invited.json()) as { link: string };
  const token = link.split('/').at(-1)!;
  const accepted = await fetch(`${baseUrl}/app/api/invitations/${token}/accept`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ password: agent.password }),
  });
  expect(accepted.status).toBe(201);
}

beforeAll(async () => {
  parley = await startTestParley();
  if (!parley.parley.demo) throw new Error('the first start should have made the demo account');
  baseUrl = parley.addresses.chat;
  await inviteAgent({ email: parley.parley.demo.email, password: parley.parley.demo.password });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await parley?.remove();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  await recordCspViolations(context);
  return context.newPage();
}

/** The password step of the form, which then asks for a code. */
async function passwordStep(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/app`, { waitUntil: 'load' });
  await page.getByRole('textbox', { name: 'Email' }).fill(agent.email);
  await page.getByLabel('Password', { exact: true }).fill(agent.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
}

/** A code of a time step after `after`: a code is accepted once, so the next sign-in waits for the next step. */
async function freshCode(secret: string, after: number): Promise<string> {
  const step = (t: number) => Math.floor(t / 30_000);
  while (step(Date.now()) <= step(after)) await new Promise((resolve) => setTimeout(resolve, 500));
  return totpCode(secret, Date.now());
}

describe('SEC-1 in Chromium', () => {
  it('SEC-1: an agent sets up a second factor from the key on the page, then signs in with a code and with a recovery code', {
    timeout: 120_000,
  }, async () => {
    const page = await newPage();
    await signInThroughForm(page, baseUrl, agent);
    await page.goto(`${baseUrl}/app/#/profile`);
    await page.getByRole('button', { name: 'Set up a second factor' }).click();
    // The QR code is drawn in the page, from nothing fetched elsewhere.
    const qr = page.getByRole('img', { name: 'QR code of your second-factor key' });
    await qr.waitFor();
    expect(await page.locator('svg.qr path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    const secret = (await page.locator('code.secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const enrolledAt = Date.now();
    await page.getByLabel('Code from the app').fill(totpCode(secret, enrolledAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).locator('code');
    await codes.first().waitFor();
    const recoveryCodes = await codes.allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('On: signing in takes a code from your app.').waitFor();

    // A new browser: the password alone does not sign in; the code does.
    const next = await newPage();
    await passwordStep(next);
    await next.getByLabel('Code', { exact: true }).fill(await freshCode(secret, enrolledAt));
    await next.getByRole('button', { name: 'Sign in' }).click();
    await next.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });

    // And once with a recovery code; the same one is refused the second time.
    const third = await newPage();
    await passwordStep(third);
    await third.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
    await third.getByRole('button', { name: 'Sign in' }).click();
    await third.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
    const fourth = await newPage();
    await passwordStep(fourth);
    await fourth.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
    await fourth.getByRole('button', { name: 'Sign in' }).click();
    await fourth
      .getByRole('alert')
      .getByText('That code is not right, or it has been used already.')
      .waitFor();
    for (const p of [page, next, third, fourth]) expect(await cspViolations(p)).toEqual([]);
  });
});
