import { describe, expect, it } from 'vitest';
import { decideDisclosure, listDisclosures, recordDisclosureRequest } from './disclosures.ts';
import { createTestDatabase, FIXTURE } from './testing/index.ts';

describe('SHR-1: the disclosure register', () => {
  it('records who asked, on what basis, which categories, when, and who approved', async () => {
    const db = await createTestDatabase();
    const request = await recordDisclosureRequest(db, {
      requester: 'Landeskriminalamt Berlin',
      legalBasis: 'Court order 12 Qs 34/26',
      categories: ['user.content.private'],
      accountId: 'acc_acme',
      now: 1,
    });
    const approved = await decideDisclosure(db, {
      id: request.id,
      staffId: FIXTURE.staff.operator.id,
      decision: 'approved',
      now: 2,
    });
    expect(approved).toMatchObject({
      status: 'approved',
      approvedBy: FIXTURE.staff.operator.id,
      approvedAt: 2,
      receivedAt: 1,
    });
    const disclosed = await decideDisclosure(db, {
      id: request.id,
      staffId: FIXTURE.staff.operator.id,
      decision: 'disclosed',
      now: 3,
    });
    expect(disclosed.disclosedAt).toBe(3);
    expect(await listDisclosures(db)).toHaveLength(1);
  });

  it('refuses to disclose what was never approved', async () => {
    const db = await createTestDatabase();
    const request = await recordDisclosureRequest(db, {
      requester: 'Someone',
      legalBasis: 'none given',
      categories: ['user.contact.email'],
    });
    await expect(
      decideDisclosure(db, { id: request.id, staffId: 'stf_operator', decision: 'disclosed' }),
    ).rejects.toThrow(/received request cannot become disclosed/);
  });
});
