import { describe, expect, it } from 'vitest';
import { markMailSent } from '../notices.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows, updateRows } from '../testing/index.ts';
import { marketingAudienceSize } from './marketing-audience.ts';
import { installationOverview } from './overview.ts';

describe("the console's first page", () => {
  it('counts accounts by region, visitors, conversations, mail, overdue requests and open disclosures', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'accounts', { closedAt: 1 }, { id: FIXTURE.accounts.initech.id });
    await insertRows(db, 'disclosures', [
      {
        id: 'dsc_open',
        requester: 'A court',
        legalBasis: 'order',
        categories: ['messages'],
        receivedAt: FIXTURE_NOW,
        status: 'approved',
      },
      {
        id: 'dsc_done',
        requester: 'A court',
        legalBasis: 'order',
        categories: ['messages'],
        receivedAt: FIXTURE_NOW,
        status: 'refused',
      },
    ]);
    expect(await installationOverview(db, FIXTURE_NOW)).toEqual({
      accountsByRegion: [
        { region: 'DE', open: 1, closed: 0 },
        { region: 'SG', open: 0, closed: 1 },
        { region: 'US', open: 1, closed: 0 },
      ],
      visitors: 5,
      conversations: { waiting: 2, active: 1, closed: 1 },
      pendingMail: 1,
      overdueRequests: 1,
      openDisclosures: 1,
    });
    await markMailSent(db, 'out_anna_transcript', FIXTURE_NOW);
    expect((await installationOverview(db, FIXTURE_NOW)).pendingMail).toBe(0);
    // Before the access request's deadline it is not overdue.
    expect((await installationOverview(db, FIXTURE_NOW - 20 * 86_400_000)).overdueRequests).toBe(0);
  });

  it('COM-2: counts the open accounts that opted in to marketing and have an address to mail', async () => {
    const db = await createTestDatabase();
    expect(await marketingAudienceSize(db)).toBe(2);
    await updateRows(db, 'accounts', { contactEmail: null }, { id: FIXTURE.accounts.acme.id });
    // Without a contact address the owner's sign-in address is used.
    expect(await marketingAudienceSize(db)).toBe(2);
    await updateRows(db, 'agents', { removedAt: 1 }, { id: FIXTURE.agents.acmeOwner.id });
    expect(await marketingAudienceSize(db)).toBe(1);
    await updateRows(db, 'accounts', { closedAt: 1 }, { id: FIXTURE.accounts.initech.id });
    expect(await marketingAudienceSize(db)).toBe(0);
  });
});
