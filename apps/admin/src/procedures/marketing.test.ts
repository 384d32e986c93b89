import { countRows, readRows, updateRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const email = { subject: 'Parley 2.0 is here', body: 'Canned replies and a calmer inbox.' };
const unsubscribeUrl = (accountId: string) => `https://chat.example.org/unsubscribe/${accountId}?sig=test`;

describe('marketing', () => {
  it('COM-2: goes only to account holders who opted in, each with a one-click unsubscribe', async () => {
    const h = await adminHarness({ unsubscribeUrl });
    const session = await h.signIn();
    const audience = await h.query<{ available: boolean; recipients: number }>(
      'marketing.audience',
      undefined,
      session,
    );
    expect(audience.data).toEqual({ available: true, recipients: 2 });

    const r = await h.mutate<{ queued: number }>('marketing.send', email, session);
    expect(r.data.queued).toBe(2);
    const mail = await readRows(h.db, 'noticeOutbox', { kind: 'marketing' }, { orderBy: 'accountId' });
    // Acme and Initech opted in; Globex did not.
    expect(mail.map((m) => m.accountId)).toEqual(['acc_acme', 'acc_initech']);
    expect(mail[0]!.headers).toEqual({
      'List-Unsubscribe': '<https://chat.example.org/unsubscribe/acc_acme?sig=test>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(mail[0]!.body).toContain('https://chat.example.org/unsubscribe/acc_acme?sig=test');
  });

  it('COM-2: an account that opts out is left out of the next email', async () => {
    const h = await adminHarness({ unsubscribeUrl });
    await updateRows(h.db, 'marketingPreferences', { optedIn: false }, { accountId: 'acc_initech' });
    const session = await h.signIn();
    const r = await h.mutate<{ queued: number }>('marketing.send', email, session);
    expect(r.data.queued).toBe(1);
  });

  it('COM-2: cannot send without the chat server’s unsubscribe links', async () => {
    const h = await adminHarness();
    const session = await h.signIn();
    expect(
      (await h.query<{ available: boolean }>('marketing.audience', undefined, session)).data.available,
    ).toBe(false);
    const r = await h.mutate('marketing.send', email, session);
    expect(r.status).toBe(412);
    expect(r.error?.data.appCode).toBe('unavailable');
    expect(await countRows(h.db, 'noticeOutbox', { kind: 'marketing' })).toBe(0);
  });

  it('refuses a subject that would start another mail header', async () => {
    const h = await adminHarness({ unsubscribeUrl });
    const session = await h.signIn();
    const r = await h.mutate(
      'marketing.send',
      { ...email, subject: 'Hello\r\nBcc: everyone@example.org' },
      session,
    );
    expect(r.status).toBe(400);
  });
});
