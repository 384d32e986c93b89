import { readFile } from 'node:fs/promises';
import { cspViolations, launchChromium } from '@parley/chromium';
import { createWebsite, defaultWebsiteSettings } from '@parley/db';
import { FIXTURE, FIXTURE_PASSWORD, readRows } from '@parley/db/testing';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { PHOTO_SERIAL, phonePhoto } from '../../src/testing/phone-photo.ts';
import { startTestServer, type TestServer } from '../../src/testing/test-app.ts';
import { axeViolations } from './axe.ts';
import { browserPages } from './browser-pages.ts';
import { type CustomerSite, startCustomerSite } from './customer-site.ts';
import { signInThroughForm } from './sign-in-page.ts';

// End to end in Chromium: on a customer's site (another origin, listed as the website's), a visitor sends a photo
// from their phone's camera roll, with where it was taken and the camera's serial number in its EXIF; the agent sees
// it in the dashboard, and the image the agent downloads carries neither. The agent then sends a PDF from the reply
// box, and the visitor gets a link in the widget that downloads it.

const { assets } = locateAssets();
const built = assets.widget !== null && assets.dashboard !== null;
const ACME = FIXTURE.accounts.acme;
const OLIVIA = { ...FIXTURE.agents.acmeOwner, password: FIXTURE_PASSWORD };
const PDF = Buffer.from(
  `%PDF-1.4\n% Parley terms of delivery\n${'1 0 obj << >> endobj\n'.repeat(20)}%%EOF\n`,
);

let browser: Browser;
let server: TestServer;
let site: CustomerSite;
const pages = browserPages(() => browser);

beforeAll(async () => {
  if (!built) throw new Error('The widget and dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  site = await startCustomerSite(
    () => `<!doctype html><html lang="en"><head><title>Acme</title></head><body><h1>Acme</h1>
<script src="${server.running.url}/w/${ACME.publicKey}/widget.js" async></script></body></html>`,
  );
  await createWebsite(
    server.db,
    ACME.id,
    { ...defaultWebsiteSettings('Acme'), origins: [`http://localhost:${site.port()}`] },
    { publicKey: ACME.publicKey },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await site?.close();
  await server?.close();
});

/** The bytes behind a link, fetched by the page that shows it, as that person's browser would download them. */
const downloadIn = async (page: Page, href: string): Promise<Buffer> =>
  Buffer.from(
    await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    }, href),
    'base64',
  );

describe('files in a chat, in Chromium', () => {
  it('a visitor’s photo reaches the agent without its GPS position or camera serial; the agent’s PDF reaches the visitor as a download', async () => {
    const { page: agent } = await pages.newPage();
    await signInThroughForm(agent, server.running.url, OLIVIA);
    await expect.poll(() => server.parley.services.presence.count(ACME.id)).toBe(1);

    const { page: visitor } = await pages.newPage();
    await visitor.goto(`http://localhost:${site.port()}/`, { waitUntil: 'load' });
    const widget = visitor.locator('parley-widget');
    await widget.locator('button.launcher').click();
    const question = 'My parcel arrived damaged, here is a photo.';
    await visitor.getByLabel('Your message').fill(question);
    await visitor.getByLabel('Your message').press('Enter');
    await widget.locator('.msg.visitor:not(.pending)').filter({ hasText: question }).waitFor();

    // The chat has begun: the widget offers to send a file, and the visitor picks the photo.
    const photo = await phonePhoto({ width: 120, height: 80 });
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    await widget.getByRole('button', { name: 'Send a file' }).waitFor();
    await widget
      .locator('input[type=file]')
      .setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
    const shown = widget.locator('.msg.visitor img[alt="IMG_2041.jpg"]');
    await shown.waitFor({ timeout: 10_000 });
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // The agent opens the chat and sees the photo, upright.
    await agent.goto(`${server.running.url}/app#/`);
    await agent.locator('a.conversation-item').filter({ hasText: 'IMG_2041.jpg' }).click();
    const conversation = agent.locator('article.conversation');
    const thumbnail = conversation.locator('.message-visitor a.message-image img[alt="IMG_2041.jpg"]');
    await thumbnail.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalHeight > img.naturalWidth)).toBe(
      true,
    );

    // What the agent downloads is the photo without its metadata.
    const href = await conversation.locator('.message-visitor a.message-image').getAttribute('href');
    const downloaded = await downloadIn(agent, href ?? '');
    const metadata = await sharp(downloaded).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 80, height: 120 });
    expect(metadata.exif).toBeUndefined();
    expect(downloaded.includes(PHOTO_SERIAL)).toBe(false);
    expect(downloaded.includes('Parley Cam')).toBe(false);
    const [stored] = await readRows(server.db, 'files', { name: 'IMG_2041.jpg' });
    expect(stored?.bytes.includes(PHOTO_SERIAL)).toBe(false);

    // The agent sends terms of delivery as a PDF from the reply box.
    await conversation
      .locator('input[type=file]')
      .setInputFiles({ name: 'delivery-terms.pdf', mimeType: 'application/pdf', buffer: PDF });
    await conversation
      .locator('.message-agent a.message-file')
      .filter({ hasText: 'delivery-terms.pdf' })
      .waitFor();
    expect(await axeViolations(agent)).toEqual([]);

    // The visitor sees a link with the name and size, and following it downloads the file.
    const link = widget.locator('.msg.agent a.file').filter({ hasText: 'delivery-terms.pdf' });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.textContent()).toMatch(/^delivery-terms\.pdf\d/);
    const [download] = await Promise.all([visitor.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('delivery-terms.pdf');
    const saved = await download.path();
    expect(saved).not.toBeNull();
    expect(await readFile(saved!)).toEqual(PDF);
    expect(visitor.url()).toBe(`http://localhost:${site.port()}/`);

    expect(await cspViolations(agent)).toEqual([]);
    expect(await cspViolations(visitor)).toEqual([]);
    // Two browsers, a sign-in and two uploads with their checks: more than the default's time on a busy machine.
  }, 60_000);
});
