import { describe, expect, it } from 'vitest';
import {
  DisclosureStateError,
  decideDisclosure,
  getDisclosure,
  listDisclosures,
  recordDisclosureRequest,
} from './disclosures.ts';
import { createTestDatabase, FIXTURE, readRows } from './testing/index.ts';

const staffId = FIXTURE.staff.operator.id;

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

  it('SHR-1: keeps the categories as a list and writes each decision to the audit log', async () => {
    const db = await createTestDatabase();
    const request = await recordDisclosureRequest(db, {
      requester: 'Tax office',
      legalBasis: 'AO § 93',
      categories: ['user.contact.email', 'user.content.private'],
      now: 5,
    });
    expect(await getDisclosure(db, request.id)).toEqual({
      id: request.id,
      requester: 'Tax office',
      legalBasis: 'AO § 93',
      categories: ['user.contact.email', 'user.content.private'],
      accountId: null,
      receivedAt: 5,
      approvedBy: null,
      approvedAt: null,
      disclosedAt: null,
      status: 'received',
    });
    await decideDisclosure(db, { id: request.id, staffId, decision: 'refused', now: 6 });
    expect(await readRows(db, 'auditLog', { actorKind: 'staff' })).toMatchObject([
      {
        actorId: staffId,
        accountId: null,
        action: 'disclosure.refused',
        detail: { disclosureId: request.id },
      },
    ]);
    await expect(decideDisclosure(db, { id: 'dsc_nothing', staffId, decision: 'approved' })).rejects.toThrow(
      DisclosureStateError,
    );
  });

  it('lists the newest request first', async () => {
    const db = await createTestDatabase();
    const ask = (requester: string, now: number) =>
      recordDisclosureRequest(db, { requester, legalBasis: 'order', categories: [], now });
    await ask('first', 1);
    await ask('second', 2);
    expect((await listDisclosures(db)).map((d) => d.requester)).toEqual(['second', 'first']);
  });

  it('SHR-1: of two decisions on one request at once, one is made and the other refused', async () => {
    const db = await createTestDatabase();
    const request = await recordDisclosureRequest(db, {
      requester: 'Court',
      legalBasis: 'order',
      categories: ['user.content.private'],
      accountId: 'acc_acme',
    });
    const outcomes = await Promise.allSettled([
      decideDisclosure(db, { id: request.id, staffId, decision: 'approved' }),
      decideDisclosure(db, { id: request.id, staffId, decision: 'refused' }),
    ]);
    const made = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.status] : []));
    expect(made).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(DisclosureStateError);
    expect((await getDisclosure(db, request.id))?.status).toBe(made[0]);
    expect((await readRows(db, 'auditLog', { actorKind: 'staff' })).map((a) => a.action)).toEqual([
      `disclosure.${made[0]}`,
    ]);
  });
});
