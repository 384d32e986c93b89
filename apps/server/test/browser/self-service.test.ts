import { join } from 'node:path';
import { cspViolations, launchChromium } from '@parley/chromium';
import type { Browser, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../../src/testing/test-parley.ts';
import { browserPages } from './browser-pages.ts';
import { waitForMailFile } from './mail-files.ts';
import { signInThroughForm } from './sign-in-page.ts';

// RET-2 end to end in Chromium, on a whole Parley as `npm start` runs it (its mailer writes .eml files to the mail
// folder): a password change in one browser ends the sign-in in another, and a forgotten password is reset from the
// link in the mail file.

let browser: Browser;
let parley: TestParley;
let baseUrl: string;
let owner: { email: string; password: string };
const pages = browserPages(() => browser);
const newPage = pages.newPage;

beforeAll(async () => {
  parley = await startTestParley();
  if (!parley.parley.demo) throw new Error('the first start should have made the demo account');
  baseUrl = parley.addresses.chat;
  owner = { email: parley.parley.demo.email, password: parley.parley.demo.password };
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await parley?.remove();
});

/** Waits for the mailer to write a mail to `to` holding a link to `route`, and returns that link. */
const linkFromMailFile = (to: string, route: string): Promise<string> =>
  waitForMailFile(
    join(parley.dataDir, 'mail'),
    to,
    (text) => new RegExp(`https?://[^\\s"<>]+/app/#/${route}/[A-Za-z0-9_-]+`).exec(text)?.[0],
  );

const agentSocket = (sockets: WebSocket[]) => sockets.find((socket) => socket.url().includes('/ws/agent'));

describe('RET-2 in Chromium', () => {
  it('RET-2: a password changed in one browser closes the other browser’s dashboard socket and shows it the sign-in page', async () => {
    const first = await newPage();
    const second = await newPage();
    await signInThroughForm(first.page, baseUrl, owner);
    await signInThroughForm(second.page, baseUrl, owner);
    await expect.poll(() => agentSocket(second.sockets) !== undefined).toBe(true);
    const secondSocket = agentSocket(second.sockets)!;
    const secondClosed = new Promise<void>((resolve) => secondSocket.on('close', () => resolve()));

    await first.page.getByRole('link', { name: /your profile/i }).click();
    await first.page.getByRole('heading', { name: 'Your profile' }).waitFor();
    const newPassword = 'changed in the first browser';
    await first.page.getByLabel('Current password', { exact: true }).fill(owner.password);
    await first.page.getByLabel('New password', { exact: true }).fill(newPassword);
    await first.page.getByLabel('Type the new one again').fill(newPassword);
    await first.page.getByRole('button', { name: 'Change password' }).click();
    await first.page.getByText('Your password is changed, and your other sign-in has ended.').waitFor();

    await secondClosed;
    await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(
      await second.page.getByText('Your password was changed. Please sign in with the new one.').count(),
    ).toBe(1);
    // The browser that changed it stays signed in.
    expect(await first.page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
    owner = { ...owner, password: newPassword };
    expect(await cspViolations(first.page)).toEqual([]);
    expect(await cspViolations(second.page)).toEqual([]);
  });

  it('RET-2: forgot password: the link from the mail file sets a new password, and the old one stops working', async () => {
    const { page } = await newPage();
    await page.goto(`${baseUrl}/app`, { waitUntil: 'load' });
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByRole('textbox', { name: 'Email' }).fill(owner.email);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await page.getByText('If this address signs in to Parley, a link').waitFor();

    const link = await linkFromMailFile(owner.email, 'reset-password');
    await page.goto(link, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const reset = 'set from the mailed link';
    await page.getByLabel('New password', { exact: true }).fill(reset);
    await page.getByLabel('Type it again').fill(reset);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your new password is set').waitFor();
    expect(await page.getByRole('textbox', { name: 'Email' }).inputValue()).toBe(owner.email);

    // The old password no longer signs in.
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email address or the password is not right.').waitFor();
    // The new one does.
    await page.getByLabel('Password', { exact: true }).fill(reset);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The link worked once.
    await page.goto(link, { waitUntil: 'load' });
    await page.getByText('This password link is not valid').waitFor();
    expect(await cspViolations(page)).toEqual([]);
  });
});
