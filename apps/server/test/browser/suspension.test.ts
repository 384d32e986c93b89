import { cspViolations } from '@parley/chromium';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoInstallation } from './demo-installation.ts';
import { signInThroughForm, signInToConsole } from './sign-in-page.ts';

// The operator's console in Chromium, on a whole Parley as `npm start` runs it: staff suspend an account, the
// agent's open dashboard closes to its sign-in page saying why, and the widget on the account's site falls back to
// the offline form; the agent cannot sign in again until staff reinstate the account.

const parley = demoInstallation();

const widgetStatus = (page: Page) => page.locator('parley-widget .panel .status');
const OFFLINE_INTRO = 'No one is online right now. Leave a message and we’ll reply by email.';

describe('suspending an account in the console, in Chromium', () => {
  it('closes the agent’s dashboard with the reason, shows the widget’s offline form, and refuses sign-in until reinstated', async () => {
    const base = parley.chatUrl;
    const { demo } = parley;
    const agent = await parley.newPage();
    await signInThroughForm(agent.page, base, demo);
    const available = agent.page.getByRole('switch', { name: 'Available' });
    await expect.poll(() => available.isEnabled()).toBe(true);
    if ((await available.getAttribute('aria-checked')) !== 'true') await available.click();
    const agentSocket = agent.sockets.find((socket) => socket.url().includes('/ws/agent'));
    if (!agentSocket) throw new Error('the dashboard opened no agent socket');
    const agentClosed = new Promise<void>((resolve) => agentSocket.on('close', () => resolve()));

    const visitor = await parley.newPage();
    await visitor.page.goto(`${base}/demo`, { waitUntil: 'load' });
    await visitor.page.locator('parley-widget button.launcher').click();
    await expect
      .poll(() => widgetStatus(visitor.page).textContent(), { timeout: 10_000 })
      .toBe('We’re online');

    const console = await parley.newPage();
    await signInToConsole(console.page, parley.adminUrl, parley.staff);
    await console.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Accounts' })
      .click();
    await console.page.getByLabel('Organisation or owner email').fill(demo.email);
    await console.page.getByRole('button', { name: 'Search' }).click();
    await console.page.getByRole('button', { name: /^Suspend .+…$/ }).click();
    await console.page.getByLabel('Reason').fill('Payment overdue since May');
    await console.page.getByRole('button', { name: 'Suspend account' }).click();
    await console.page.getByText('Payment overdue since May', { exact: true }).waitFor();

    await agentClosed;
    await agent.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await agent.page
      .getByText(
        'The operator of this Parley installation suspended the account, so its sign-ins have ended.',
      )
      .waitFor();
    await visitor.page.locator('parley-widget').getByText(OFFLINE_INTRO).waitFor({ timeout: 15_000 });

    await agent.page.getByRole('textbox', { name: 'Email' }).fill(demo.email);
    await agent.page.getByLabel('Password', { exact: true }).fill(demo.password);
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.getByText('has suspended this account').waitFor();

    await console.page.getByRole('button', { name: /^Reinstate / }).click();
    await console.page.getByRole('dialog').getByRole('button', { name: 'Reinstate' }).click();
    await console.page
      .getByText(/is reinstated\.$/)
      .first()
      .waitFor();
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.getByRole('button', { name: 'Sign out' }).waitFor();

    for (const page of [agent.page, visitor.page, console.page])
      expect(await cspViolations(page)).toEqual([]);
  });
});
