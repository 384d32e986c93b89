import { policyForInstallation, withInForceDates } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { compareHref, routes, versionHref } from '../src/routes.ts';
import { readPage } from './site-dist.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2027-01-10T08:00:00Z');

/**
 * An installation that ran 1.0.0 and 1.1.0 long ago, and queued the notices of 1.2.0, 1.3.0 and 1.4.0 twenty days
 * before NOW.
 */
const policy = withInForceDates(
  policyForInstallation(),
  new Map([
    ['1.0.0', NOW - 300 * DAY],
    ['1.1.0', NOW - 200 * DAY],
    ['1.2.0', NOW + 10 * DAY],
    ['1.3.0', NOW + 10 * DAY],
    ['1.4.0', NOW + 10 * DAY],
  ]),
);
const announced = { policy, now: NOW };
const applied = { policy, now: NOW + 10 * DAY };

describe('CHG-1: a version announced and not yet in force', () => {
  it('CHG-1: /privacy shows the version in force and announces the next one with the day it applies', async () => {
    const page = await readPage(routes.privacy, announced);
    expect(page).toContain('Version 1.1.0');
    expect(page).toContain('Version 1.2.0 applies from');
    expect(page).toContain('<time datetime="2027-01-20T08:00:00.000Z">20 January 2027</time>');
    expect(page).toContain(`href="${compareHref('1.1.0', '1.2.0')}"`);
    expect(page).toContain('A new cookie, parley_remember_email');
    expect(page).toMatch(/Privacy policy version 1\.1\.0, last updated/);

    const later = await readPage(routes.privacy, applied);
    expect(later).toContain('Version 1.4.0');
    expect(later).not.toContain('applies from');
  });

  it('CHG-1: the cookie the announced version adds is not declared until it applies', async () => {
    for (const path of [routes.cookies, routes.cookiesJson, routes.cookiesCsv])
      expect(await readPage(path, announced), path).not.toContain('parley_remember_email');
    expect(await readPage(routes.cookies, applied)).toContain('parley_remember_email');
  });

  it('CHG-1: the version history says which version is in force and when the next one applies', async () => {
    const page = await readPage(routes.versions, announced);
    expect(page).toMatch(/Announced, applies from\s*<time datetime="2027-01-20T08:00:00.000Z">/);
    const next = await readPage(versionHref('1.2.0'), announced);
    expect(next).toContain('This version is announced and applies from');
    const json = JSON.parse(await readPage(routes.policyJson, announced)) as {
      versions: Array<{ version: string; inForceFrom?: string }>;
    };
    expect(json.versions.find((v) => v.version === '1.2.0')).toMatchObject({
      inForceFrom: '2027-01-20T08:00:00.000Z',
    });
  });
});
