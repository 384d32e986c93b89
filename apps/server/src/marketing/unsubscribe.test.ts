import { getMarketingPreference } from '@parley/db';
import { createTestDatabase, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { unsubscribeRoutes, unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts';

const secret = Buffer.alloc(32, 7);

describe('COM-2: one-click unsubscribe', () => {
  it('unsubscribes with an RFC 8058 POST, without signing in, and records the withdrawal', async () => {
    const db = await createTestDatabase();
    const app = unsubscribeRoutes({ db, secret, policyVersion: () => '1.2.0' });
    const token = unsubscribeToken(secret, 'acc_acme');
    const response = await app.request(`/unsubscribe?t=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(await getMarketingPreference(db, 'acc_acme')).toMatchObject({ optedIn: false });
    const [withdrawal] = await readRows(db, 'consentRecords', { choice: 'withdraw' });
    expect({
      scope: withdrawal?.scope,
      choice: withdrawal?.choice,
      policyVersion: withdrawal?.policyVersion,
    }).toEqual({
      scope: 'marketing',
      choice: 'withdraw',
      policyVersion: '1.2.0',
    });
  });

  it('does not unsubscribe on a GET, which link scanners send', async () => {
    const db = await createTestDatabase();
    const app = unsubscribeRoutes({ db, secret, policyVersion: () => '1.2.0' });
    const response = await app.request(
      `/unsubscribe?t=${encodeURIComponent(unsubscribeToken(secret, 'acc_acme'))}`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<form method="post"');
    expect(await getMarketingPreference(db, 'acc_acme')).toMatchObject({ optedIn: true });
  });

  it.each([
    ['a token signed with another key', unsubscribeToken(Buffer.alloc(32, 1), 'acc_acme')],
    [
      'a token for one account with the signature of another',
      `${Buffer.from('acc_acme').toString('base64url')}.${unsubscribeToken(secret, 'acc_initech').split('.')[1]}`,
    ],
    ['garbage', 'not-a-token'],
  ])('refuses %s', async (_title, token) => {
    expect(verifyUnsubscribeToken(secret, token)).toBeNull();
    const db = await createTestDatabase();
    const app = unsubscribeRoutes({ db, secret, policyVersion: () => '1.2.0' });
    const response = await app.request(`/unsubscribe?t=${encodeURIComponent(token)}`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await getMarketingPreference(db, 'acc_acme')).toMatchObject({ optedIn: true });
  });
});
