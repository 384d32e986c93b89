import { FIXTURE } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { adminHarness } from '../testing/admin-harness.ts';

const newMember = {
  email: 'sam@parley.test',
  name: 'Sam',
  role: 'support',
  password: 'a long first password',
};

describe('staff management', () => {
  it('admins add a member who can sign in with their role, change the role, and remove them', async () => {
    const h = await adminHarness();
    const admin = await h.signIn();
    const created = await h.mutate<{ id: string; role: string }>('staff.create', newMember, admin);
    expect(created.data).toMatchObject({ role: 'support' });
    const sam = await h.signIn(newMember.email, newMember.password);
    const me = await h.query<{ staff: { role: string } }>('auth.me', undefined, sam);
    expect(me.data.staff.role).toBe('support');

    await h.mutate('staff.setRole', { staffId: created.data.id, role: 'viewer' }, admin);
    const suspend = await h.mutate('accounts.suspend', { accountId: 'acc_acme', reason: 'Test' }, sam);
    expect(suspend.error?.data.code).toBe('FORBIDDEN');

    await h.mutate('staff.remove', { staffId: created.data.id }, admin);
    const after = await h.query('overview.counts', undefined, sam);
    expect(after.error?.data.appCode).toBe('unauthenticated');
    const audit = await h.query<{ entries: Array<{ action: string }> }>(
      'audit.list',
      { action: 'staff.' },
      admin,
    );
    expect(audit.data.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['staff.created', 'staff.role_changed', 'staff.removed']),
    );
  });

  it('keeps at least one admin', async () => {
    const h = await adminHarness();
    const admin = await h.signIn();
    const staffId = FIXTURE.staff.operator.id;
    const demoted = await h.mutate('staff.setRole', { staffId, role: 'viewer' }, admin);
    expect(demoted.error?.data.appCode).toBe('invalid_state');
    const removed = await h.mutate('staff.remove', { staffId }, admin);
    expect(removed.error?.data.appCode).toBe('invalid_state');
  });
});
