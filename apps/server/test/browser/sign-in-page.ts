import { totpCode } from '@parley/db';
import type { Page } from 'playwright-core';

/** Signs in to the dashboard at `baseUrl` through its form, as an agent would, and waits for the signed-in shell. */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto(`${baseUrl}/app`, { waitUntil: 'load' });
  await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
}

/** Signs a staff member in to the admin console at `adminUrl` through its form, and waits for its sections. */
export async function signInToConsole(
  page: Page,
  adminUrl: string,
  who: { email: string; password: string },
): Promise<void> {
  await page.goto(adminUrl, { waitUntil: 'load' });
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // SEC-1: staff sign in with a second factor; the first sign-in sets it up from the key the page shows.
  const code = page.locator('input[name=code]');
  await code.waitFor();
  const secret = page.locator('code.secret');
  if (await secret.isVisible()) {
    const key = (await secret.textContent()) ?? '';
    consoleSecrets.set(who.email, key);
    await code.fill(totpCode(key, Date.now()));
    await code.press('Enter');
    await page.getByRole('button', { name: 'I have saved them; continue' }).click();
  } else {
    const key = consoleSecrets.get(who.email);
    if (!key) throw new Error(`${who.email} has a second factor this test did not set up`);
    await code.fill(totpCode(key, Date.now()));
    await code.press('Enter');
  }
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/** The second-factor keys of the staff members these tests enrolled, by email. */
const consoleSecrets = new Map<string, string>();
