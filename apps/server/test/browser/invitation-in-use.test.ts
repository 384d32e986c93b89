import { cspViolations, launchChromium, recordCspViolations } from '@parley/chromium';
import { FIXTURE, FIXTURE_PASSWORD } from '@parley/db/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAssets } from '../../src/paths.ts';
import { signIn, startTestServer, type TestServer, writeHeaders } from '../../src/testing/test-app.ts';

// The dashboard's invitation page in Chromium, for an address that already signs in to another account: the owner
// was answered as for any address, so the invitee is the one who learns, when accepting, and is shown how to sign in.

const { assets } = locateAssets();

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  if (assets.dashboard === null)
    throw new Error('The dashboard must be built first: pnpm exec turbo run build');
  server = await startTestServer({ assets });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('in Chromium', () => {
  it('SHR-1: the invitee of an address in use elsewhere learns it on accepting, and signs in with it instead', async () => {
    const gina = FIXTURE.agents.globexOwner;
    const local = {
      request: (path: string, init?: RequestInit) => Promise.resolve(server.parley.app.request(path, init)),
    };
    const owner = await signIn(local, FIXTURE.agents.acmeOwner.email);
    const invited = await local.request('/app/api/invitations', {
      method: 'POST',
      headers: writeHeaders(owner),
      body: JSON.stringify({ email: gina.email, name: 'Gina' }),
    });
    expect(invited.status).toBe(201);
    const { link } = (await invited.json()) as { link: string };

    const context = await browser.newContext();
    await recordCspViolations(context);
    const page = await context.newPage();
    await page.goto(`${server.running.url}/app/#/invite/${link.split('#/invite/')[1]}`);
    await page.getByRole('heading', { name: 'Join Acme Gardening GmbH' }).waitFor();
    await page.getByLabel('Choose a password').fill('a long enough password');
    await page.getByLabel('Type it again').fill('a long enough password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();

    await page.getByRole('heading', { name: 'You already have a Parley sign-in' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Sign in with it and its password instead');
    await page.getByRole('button', { name: 'Go to sign-in' }).click();

    const email = page.getByRole('textbox', { name: 'Email' });
    await email.waitFor();
    expect(await email.inputValue()).toBe(gina.email);
    expect(new URL(page.url()).hash).toBe('#/');
    await page.getByLabel('Password', { exact: true }).fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /sign out/i }).waitFor();
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });
});
