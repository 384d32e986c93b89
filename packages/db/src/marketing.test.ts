import { describe, expect, it } from 'vitest';
import { getMarketingPreference, queueMarketingEmail, setMarketingPreference } from './marketing.ts';
import { createTestDatabase, FIXTURE, readRow, readRows, updateRows } from './testing/index.ts';

const unsubscribeUrl = (accountId: string) => `https://chat.example/unsubscribe?a=${accountId}&sig=x`;

/** The marketing mail queued so far, by recipient. */
const marketingMail = async (db: Awaited<ReturnType<typeof createTestDatabase>>) =>
  (await readRows(db, 'noticeOutbox', { kind: 'marketing' })).sort((a, b) =>
    a.toEmail.localeCompare(b.toEmail),
  );

describe('COM-2: marketing email', () => {
  it('goes only to opted-in accounts, each with RFC 8058 one-click unsubscribe headers', async () => {
    const db = await createTestDatabase();
    const queued = await queueMarketingEmail(db, {
      subject: 'New in Parley',
      body: 'Read receipts are here.',
      unsubscribeUrl,
    });
    expect(queued).toBe(2);
    const mail = await marketingMail(db);
    expect(mail.map((m) => m.toEmail)).toEqual(['ian@initech.test', 'olivia@acme.test']);
    for (const m of mail) {
      expect(m.headers['List-Unsubscribe']).toBe(`<${unsubscribeUrl(m.accountId ?? '')}>`);
      expect(m.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(m.body).toContain(unsubscribeUrl(m.accountId ?? ''));
    }
  });

  it('never reaches an address that opted out', async () => {
    const db = await createTestDatabase();
    await setMarketingPreference(db, { accountId: 'acc_acme', optedIn: false, source: 'unsubscribe_link' });
    expect(await getMarketingPreference(db, 'acc_acme')).toMatchObject({ optedIn: false });
    await queueMarketingEmail(db, { subject: 'S', body: 'B', unsubscribeUrl });
    expect((await marketingMail(db)).map((m) => m.toEmail)).toEqual(['ian@initech.test']);
  });

  it('COM-2: keeps the latest choice, where it was made and when', async () => {
    const db = await createTestDatabase();
    await setMarketingPreference(db, {
      accountId: 'acc_globex',
      optedIn: true,
      source: 'dashboard',
      now: 10,
    });
    expect(await getMarketingPreference(db, 'acc_globex')).toEqual({ optedIn: true, changedAt: 10 });
    expect(await readRow(db, 'marketingPreferences', { accountId: 'acc_globex' })).toMatchObject({
      source: 'dashboard',
    });
    await updateRows(db, 'marketingPreferences', { optedIn: false }, { accountId: 'acc_initech' });
    await setMarketingPreference(db, { accountId: 'acc_initech', optedIn: true, source: 'admin', now: 11 });
    expect(await readRows(db, 'marketingPreferences', { accountId: 'acc_initech' })).toMatchObject([
      { optedIn: true, source: 'admin', changedAt: 11 },
    ]);
  });

  it('COM-2: an account that never chose is not opted in', async () => {
    const db = await createTestDatabase();
    expect(await getMarketingPreference(db, 'acc_nobody')).toEqual({ optedIn: false, changedAt: null });
  });

  it("writes to the owner's sign-in address when the account gives no contact email, and never to a closed account", async () => {
    const db = await createTestDatabase();
    const globex = FIXTURE.accounts.globex.id;
    await setMarketingPreference(db, { accountId: globex, optedIn: true, source: 'dashboard' });
    await updateRows(db, 'accounts', { contactEmail: null }, { id: globex });
    await updateRows(db, 'accounts', { closedAt: 1 }, { id: FIXTURE.accounts.initech.id });
    expect(await queueMarketingEmail(db, { subject: 'S', body: 'B', unsubscribeUrl })).toBe(2);
    expect(await marketingMail(db)).toMatchObject([
      { toEmail: FIXTURE.agents.globexOwner.email, accountId: globex },
      { toEmail: 'olivia@acme.test', accountId: FIXTURE.accounts.acme.id },
    ]);
  });
});
