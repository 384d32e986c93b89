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
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}
