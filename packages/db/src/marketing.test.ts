import { describe, expect, it } from 'vitest';
import { getMarketingPreference, queueMarketingEmail, setMarketingPreference } from './marketing.ts';
import { pendingMail } from './notices.ts';
import { createTestDatabase } from './testing/index.ts';

const unsubscribeUrl = (accountId: string) => `https://chat.example/unsubscribe?a=${accountId}&sig=x`;

describe('COM-2: marketing email', () => {
  it('goes only to opted-in accounts, each with RFC 8058 one-click unsubscribe headers', async () => {
    const db = await createTestDatabase();
    const queued = await queueMarketingEmail(db, {
      subject: 'New in Parley',
      body: 'Read receipts are here.',
      unsubscribeUrl,
    });
    expect(queued).toBe(2);
    const mail = (await pendingMail(db)).filter((m) => m.kind === 'marketing');
    expect(mail.map((m) => m.to).sort()).toEqual(['ian@initech.test', 'olivia@acme.test']);
    for (const m of mail) {
      expect(m.headers['List-Unsubscribe']).toMatch(/^<https:\/\/chat\.example\/unsubscribe\?a=acc_/);
      expect(m.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    }
  });

  it('never reaches an address that opted out', async () => {
    const db = await createTestDatabase();
    await setMarketingPreference(db, { accountId: 'acc_acme', optedIn: false, source: 'unsubscribe_link' });
    expect(await getMarketingPreference(db, 'acc_acme')).toMatchObject({ optedIn: false });
    await queueMarketingEmail(db, { subject: 'S', body: 'B', unsubscribeUrl });
    expect((await pendingMail(db)).filter((m) => m.kind === 'marketing').map((m) => m.to)).toEqual([
      'ian@initech.test',
    ]);
  });
});
