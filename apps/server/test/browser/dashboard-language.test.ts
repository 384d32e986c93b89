import { cspViolations } from '@parley/chromium';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoInstallation } from './demo-installation.ts';
import { signInThroughForm } from './sign-in-page.ts';

// The dashboard's language end to end in Chromium, on a whole Parley as `npm start` runs it: an agent whose
// browser speaks English switches the dashboard to German in their profile; the inbox speaks German, a reload keeps
// it, and so does a sign-in from another browser, since the choice is stored with the agent. The server's error
// messages follow the dashboard's language, not the browser's.

const parley = demoInstallation();

const pageLanguage = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('the dashboard in German', () => {
  it('an agent switches the dashboard to German in their profile; the inbox speaks German, and a reload keeps it', {
    timeout: 60_000,
  }, async () => {
    const baseUrl = parley.chatUrl;
    const { page } = await parley.newPage({ locale: 'en-US' });
    await signInThroughForm(page, baseUrl, parley.demo);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Inbox' }).waitFor();
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

    // The Websites page speaks German too: its words, its weekdays, and the preview page's own words.
    await page.getByRole('navigation', { name: 'Bereiche' }).getByRole('link', { name: 'Websites' }).click();
    await page.getByRole('button', { name: 'Website hinzufügen' }).waitFor();
    await page.getByText('Jede Website, auf der Sie den Chat einbinden').waitFor();
    const card = page.locator('section.website-card').first();
    expect(await card.getByLabel('Code-Schnipsel', { exact: true }).inputValue()).toContain('/widget.js');
    expect(await card.getByRole('button', { name: 'Code-Schnipsel kopieren' }).isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Bearbeiten' }).click();
    await page.getByLabel('Agenten antworten nur während der Geschäftszeiten').check();
    await page.getByLabel('Montag', { exact: true }).waitFor();
    expect(await page.getByLabel('Sonntag', { exact: true }).isChecked()).toBe(false);
    await page.getByLabel('Zeitzone').focus();
    const berlin = page.locator('#website-time-zones option[value="Europe/Berlin"]');
    expect(await berlin.getAttribute('label')).toBe('Mitteleuropäische Zeit');
    expect(await page.getByRole('button', { name: 'Website speichern' }).isVisible()).toBe(true);
    await page.frameLocator('iframe.widget-preview').getByText('Eine Seite Ihrer Website').waitFor();
    for (const english of ['Add a website', 'Snippet', 'Monday', 'Save website'])
      expect(await page.getByText(english, { exact: true }).count(), english).toBe(0);

    // The server's errors speak German too: a colour it refuses is explained beside the field in German, though
    // this browser asks for English.
    await page.getByLabel('Farbe', { exact: true }).fill('blau');
    await page.getByRole('button', { name: 'Website speichern' }).click();
    await page
      .getByText('Die Farbe muss als #rrggbb geschrieben werden, z. B. #2a5d9f.', { exact: true })
      .waitFor();
    expect(await page.getByText('The colour must be written', { exact: false }).count()).toBe(0);

    // The choice belongs to the agent, not to this browser: another English-speaking browser signs in to German.
    const { page: other } = await parley.newPage({ locale: 'en-US' });
    await other.goto(`${baseUrl}/app`, { waitUntil: 'load' });
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    await other.getByRole('textbox', { name: 'Email' }).fill(parley.demo.email);
    await other.getByLabel('Password', { exact: true }).fill(parley.demo.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('button', { name: 'Abmelden' }).waitFor({ state: 'visible' });
    expect(await pageLanguage(other)).toBe('de');

    for (const p of [page, other]) expect(await cspViolations(p)).toEqual([]);
  });

  it('before anyone signs in, the sign-in page speaks the browser’s language', async () => {
    const { page } = await parley.newPage({ locale: 'de-DE' });
    await page.goto(`${parley.chatUrl}/app`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getByRole('link', { name: 'Passwort vergessen?' }).isVisible()).toBe(true);
    expect(await pageLanguage(page)).toBe('de');
    expect(await cspViolations(page)).toEqual([]);
  });
});
