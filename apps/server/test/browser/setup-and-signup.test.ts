import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import { sha256 } from '@parley/db';
import { countRows, readRow } from '@parley/db/testing';
import { signupTermsText, versionInForce } from '@parley/policy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_FILL_MS } from '../../src/signup/signup-form.ts';
import { startTestParley, type TestParley } from '../../src/testing/test-parley.ts';
import { axeViolations } from './axe.ts';
import { signInThroughForm } from './sign-in-page.ts';

// The path a new installation and a new business take, in Chromium, on Parley as a production start runs it
// (PARLEY_DEMO=0, sign-up open): the setup link the start printed makes the first staff member and the first
// business; then a business signs up on the public site, confirms from the mail file, and signs in.

let browser: Browser;
let running: TestParley;

beforeAll(async () => {
  running = await startTestParley({ PARLEY_DEMO: '0', PARLEY_SIGNUP: 'open' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.remove();
});

/** Mail written as an `.eml` file, with quoted-printable soft breaks and escapes undone. */
function mailFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  return names.map((name) =>
    readFileSync(join(dir, name), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
  );
}

/** The link in the mail the mailer writes to its folder, once it has drained the outbox. */
async function mailedLink(pattern: RegExp): Promise<string> {
  const dir = join(running.dataDir, 'mail');
  let link: string | undefined;
  await expect
    .poll(
      () => {
        link = mailFiles(dir)
          .map((text) => pattern.exec(text)?.[0])
          .find(Boolean);
        return link;
      },
      { timeout: 15_000, interval: 250 },
    )
    .toBeDefined();
  return link!;
}

async function newPage(locale?: string): Promise<Page> {
  const context = await browser.newContext(locale ? { locale } : {});
  await recordCspViolations(context);
  return context.newPage();
}

describe('in Chromium, on an empty installation started with PARLEY_DEMO=0', () => {
  it('COL-4: the setup link makes the first staff member and the first business', async () => {
    const { chat } = running.addresses;
    const token = running.parley.setupToken;
    expect(token).not.toBeNull();
    const page = await newPage();
    await page.goto(`${chat}/setup#${token}`);
    await page.getByLabel('Your name').fill('Olga Operator');
    await page.getByLabel('Your email address').fill('olga@ops.test');
    await page.getByLabel('A password').fill('staff password 1');
    await page.getByLabel('Also create the first business account').check();
    await page.getByLabel('Business name').fill('Initech');
    await page.getByLabel("Owner's name").fill('Ivo Initech');
    await page.getByLabel("Owner's email address").fill('ivo@initech.test');
    await page.getByLabel("Owner's password").fill('owner password 1');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set up Parley' }).click();
    await page.getByText('Parley is set up.').waitFor();
    expect(new URL(page.url()).hash).toBe('');

    const { db } = running.parley.app.services;
    expect(await readRow(db, 'operatorStaff')).toMatchObject({ email: 'olga@ops.test' });
    expect(await readRow(db, 'accounts')).toMatchObject({ organization: 'Initech', region: 'DE' });
    await signInThroughForm(page, chat, { email: 'ivo@initech.test', password: 'owner password 1' });

    // The link works once. The page is English, and so is the server's answer, though this browser asks for German.
    const again = await newPage('de-DE');
    await again.goto(`${chat}/setup#${token}`);
    await again.getByText('set up already').waitFor();
    expect(await cspViolations(page)).toEqual([]);
    expect(await cspViolations(again)).toEqual([]);
  });

  it('COL-1: a business signs up, is refused sign-in until it confirms from the mail, then signs in', async () => {
    const { chat } = running.addresses;
    const page = await newPage();
    await page.goto(`${chat}/signup`);
    await page.getByLabel('Business name').fill('Globex Bakery');
    await page.getByLabel('Your name').fill('Greta Globex');
    await page.getByLabel('Your email address').fill('greta@globex.test');
    await page.getByLabel('Choose a password').fill('a long enough password');
    await page.getByLabel(/Phone number/).fill('+49 30 1234567');
    expect(await axeViolations(page)).toEqual([]);
    // The honeypot is there for programs, and neither seen nor heard.
    expect(await page.locator('#website').isVisible()).toBe(false);
    // A person takes a few seconds to fill the form in; this test takes longer than the minimum on any machine.
    await page.waitForTimeout(MIN_FILL_MS + 500);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Almost done: we sent a link to greta@globex.test').waitFor();

    const { db } = running.parley.app.services;
    expect(await countRows(db, 'pendingSignups')).toBe(1);
    const refused = await newPage();
    await refused.goto(`${chat}/app`, { waitUntil: 'load' });
    await refused.getByRole('textbox', { name: 'Email' }).fill('greta@globex.test');
    await refused.getByLabel('Password', { exact: true }).fill('a long enough password');
    await refused.getByRole('button', { name: 'Sign in' }).click();
    await refused.getByText('Confirm your email address first').waitFor();

    const link = await mailedLink(/http:\/\/[^\s]+\/signup\/confirm#[A-Za-z0-9_-]+/);
    await page.goto(link);
    await page.getByText('is confirmed and your account is open').waitFor();
    await page.getByRole('link', { name: 'Sign in to the dashboard' }).click();
    await signInThroughForm(page, chat, { email: 'greta@globex.test', password: 'a long enough password' });

    const owner = await readRow(db, 'agents', { email: 'greta@globex.test' });
    expect(await readRow(db, 'accounts', { id: owner.accountId })).toMatchObject({
      organization: 'Globex Bakery',
      phone: '+49 30 1234567',
      region: 'DE',
    });
    expect(await readRow(db, 'consentRecords', { accountId: owner.accountId })).toMatchObject({
      scope: 'signup',
    });
    expect(await cspViolations(page)).toEqual([]);
    expect(await cspViolations(refused)).toEqual([]);
  });

  it('COL-1: a business signs up on the German page, and its consent record keeps the hash of the German text it read', async () => {
    const { chat } = running.addresses;
    const page = await newPage();
    await page.goto(`${chat}/de/signup`);
    await page.getByLabel('Name des Unternehmens').fill('Bäckerei Müller');
    await page.getByLabel('Ihr Name').fill('Marta Müller');
    await page.getByLabel('Ihre E-Mail-Adresse').fill('marta@mueller.test');
    await page.getByLabel('Wählen Sie ein Passwort').fill('ein ausreichend langes Passwort');
    expect(await axeViolations(page)).toEqual([]);
    await page.waitForTimeout(MIN_FILL_MS + 500);
    await page.getByRole('button', { name: 'Registrieren' }).click();
    await page.getByText('Fast geschafft: Wir haben einen Link an marta@mueller.test gesendet').waitFor();

    const link = await mailedLink(/http:\/\/[^\s]+\/de\/signup\/confirm#[A-Za-z0-9_-]+/);
    await page.goto(link);
    await page.getByText('ist bestätigt, und Ihr Konto ist eröffnet').waitFor();

    // The server's refusal of the link, used once already, is German like the page, though Chromium asks for English.
    const again = await newPage('en-US');
    await again.goto(link);
    await again.getByText('Dieser Bestätigungslink ist nicht gültig', { exact: false }).waitFor();

    const { db, policy } = running.parley.app.services;
    const version = versionInForce(policy);
    const owner = await readRow(db, 'agents', { email: 'marta@mueller.test' });
    const consent = await readRow(db, 'consentRecords', { accountId: owner.accountId });
    expect(consent).toMatchObject({
      scope: 'signup',
      policyVersion: version.version,
      textHash: sha256(signupTermsText(version, 'de')),
      language: 'de',
    });
    expect(consent.textHash).not.toBe(sha256(signupTermsText(version, 'en')));
    expect(await cspViolations(page)).toEqual([]);
  });
});
