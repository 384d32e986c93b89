import { cspViolations } from '@parley/chromium';
import { describe, expect, it } from 'vitest';
import { demoInstallation } from './demo-installation.ts';
import { waitForMailFile } from './mail-files.ts';
import { signInThroughForm, signInToConsole } from './sign-in-page.ts';

// COM-1 in Chromium, on a whole Parley as `npm start` runs it: the account's owner writes to support from the
// dashboard, staff answer in the console, and the owner is told by mail and sees the answer marked new.

const parley = demoInstallation();

describe('COM-1 in Chromium', () => {
  it('COM-1: the owner writes to support, staff answer in the console, and the owner gets a mail and a new answer', async () => {
    const owner = await parley.newPage();
    await signInThroughForm(owner.page, parley.chatUrl, parley.demo);
    await owner.page.getByRole('link', { name: 'Support' }).click();
    await owner.page.getByRole('heading', { name: 'Support', level: 1 }).waitFor();
    await owner.page.getByLabel('Subject').fill('Our invoices');
    await owner.page.getByLabel('Your message').fill('Where can we download our invoices?');
    await owner.page.getByRole('button', { name: 'Send to support' }).click();
    await owner.page.getByRole('heading', { name: 'Our invoices' }).waitFor();

    const console = await parley.newPage();
    await signInToConsole(console.page, parley.adminUrl, parley.staff);
    await console.page.getByRole('link', { name: 'Support requests' }).click();
    await console.page.getByText('New message').waitFor();
    await console.page.getByRole('button', { name: 'Our invoices' }).click();
    await console.page.getByText('Where can we download our invoices?').waitFor();
    await console.page.getByLabel('Answer').fill('Under Account, Billing: each invoice has a Download link.');
    await console.page.getByRole('button', { name: 'Send the answer' }).click();
    await console.page.getByText('The answer is sent.').waitFor();

    const mail = await waitForMailFile(parley.mailFolder, parley.demo.email, (text) =>
      text.includes('Support answered: Our invoices') ? text : null,
    );
    expect(mail).toContain('/app/#/support');
    expect(mail).not.toContain('each invoice has a Download link');

    await owner.page.getByRole('link', { name: 'All your requests' }).click();
    await owner.page.getByText('New answer').waitFor();
    await owner.page.getByRole('link', { name: 'Our invoices' }).click();
    await owner.page.getByText('Under Account, Billing: each invoice has a Download link.').waitFor();
    await owner.page.getByRole('link', { name: 'All your requests' }).click();
    await owner.page.getByRole('link', { name: 'Our invoices' }).waitFor();
    expect(await owner.page.getByText('New answer').count()).toBe(0);

    for (const page of [owner.page, console.page]) expect(await cspViolations(page)).toEqual([]);
  });
});
