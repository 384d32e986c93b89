import { describe, expect, it } from 'vitest';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRows, updateRows } from '../testing/index.ts';
import { auditPage, recordStaffAction } from './audit.ts';

const staffId = FIXTURE.staff.operator.id;

describe('the audit log in the admin console', () => {
  it('records what a staff member did, with ids and counts only', async () => {
    const db = await createTestDatabase();
    await recordStaffAction(db, {
      staffId,
      action: 'disclosure.approved',
      accountId: FIXTURE.accounts.acme.id,
      detail: { disclosureId: 'dsc_1', categories: 2 },
      now: FIXTURE_NOW,
    });
    await recordStaffAction(db, { staffId, action: 'staff.signed_in', now: FIXTURE_NOW + 1 });
    const [newest, before] = (await auditPage(db, { limit: 10 })).entries;
    expect(newest).toMatchObject({
      actorKind: 'staff',
      actorId: staffId,
      actorName: FIXTURE.staff.operator.name,
      accountId: null,
      action: 'staff.signed_in',
      detail: null,
      createdAt: FIXTURE_NOW + 1,
    });
    expect(before).toMatchObject({
      accountId: FIXTURE.accounts.acme.id,
      action: 'disclosure.approved',
      detail: { disclosureId: 'dsc_1', categories: 2 },
    });
  });

  it('names the staff member behind an entry, and never an agent', async () => {
    const db = await createTestDatabase();
    await recordStaffAction(db, { staffId, action: 'staff.signed_in', now: FIXTURE_NOW });
    const entries = async () =>
      (await auditPage(db, { limit: 10 })).entries.map((e) => [e.action, e.actorName]);
    expect(await entries()).toEqual([
      ['staff.signed_in', FIXTURE.staff.operator.name],
      ['conversation.closed', null],
    ]);
    await updateRows(db, 'operatorStaff', { removedAt: FIXTURE_NOW }, { id: staffId });
    // Removed staff are still on record: their name stays with what they did.
    expect((await entries())[0]).toEqual(['staff.signed_in', FIXTURE.staff.operator.name]);
  });

  it('pages from the newest entry back, and filters by an action or a family of actions', async () => {
    const db = await createTestDatabase();
    const actions = ['retention.sweep', 'disclosure.received', 'retention.sweep', 'disclosure.approved'];
    for (const [i, action] of actions.entries())
      await recordStaffAction(db, { staffId, action, now: FIXTURE_NOW + i });
    // An action whose name has LIKE's wildcards in it is not part of a family it merely resembles.
    await recordStaffAction(db, { staffId, action: 'disclosure_x', now: FIXTURE_NOW + 9 });

    const first = await auditPage(db, { limit: 2 });
    expect(first.entries.map((e) => e.action)).toEqual(['disclosure_x', 'disclosure.approved']);
    expect(first.nextBefore).toBe(first.entries[1]!.id);
    const second = await auditPage(db, { limit: 2, before: first.nextBefore! });
    expect(second.entries.map((e) => e.action)).toEqual(['retention.sweep', 'disclosure.received']);
    const last = await auditPage(db, { limit: 2, before: second.nextBefore! });
    expect(last.entries.map((e) => e.action)).toEqual(['retention.sweep', 'conversation.closed']);
    expect(last.nextBefore).toBeNull();

    const family = await auditPage(db, { limit: 10, action: 'disclosure.' });
    expect(family.entries.map((e) => e.action)).toEqual(['disclosure.approved', 'disclosure.received']);
    const one = await auditPage(db, { limit: 10, action: 'retention.sweep' });
    expect(one.entries).toHaveLength(2);
    expect(one.nextBefore).toBeNull();
    expect(await readRows(db, 'auditLog', { action: 'retention.sweep' })).toHaveLength(2);
  });
});
