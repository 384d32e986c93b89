import { describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRows,
  updateRows,
} from '../testing/index.ts';
import { searchAccounts } from './accounts.ts';
import { accountSuspension, reinstateAccount, suspendAccount } from './suspensions.ts';

const { acme, globex, initech } = FIXTURE.accounts;
const staffId = FIXTURE.staff.operator.id;
const suspend = { accountId: acme.id, reason: 'Unpaid since May', staffId, now: FIXTURE_NOW };

describe('suspending an account', () => {
  it('keeps the reason, ends its agents’ sign-ins, and is recorded once however often it is asked', async () => {
    const db = await createTestDatabase();
    await insertRows(db, 'sessions', [
      {
        id: 'ses_olivia',
        userKind: 'agent',
        userId: FIXTURE.agents.acmeOwner.id,
        csrfTokenHash: 'x',
        createdAt: FIXTURE_NOW,
        expiresAt: FIXTURE_NOW + 1000,
      },
    ]);
    expect(await suspendAccount(db, suspend)).toBe(true);
    expect(await suspendAccount(db, suspend)).toBe(false);
    expect(await accountSuspension(db, acme.id)).toEqual({
      reason: 'Unpaid since May',
      suspendedAt: FIXTURE_NOW,
    });
    expect(await readRows(db, 'sessions', { id: 'ses_olivia' })).toEqual([]);
    expect(await readRows(db, 'auditLog', { accountId: acme.id, action: 'account.suspended' })).toHaveLength(
      1,
    );

    expect(await reinstateAccount(db, { accountId: acme.id, staffId, now: FIXTURE_NOW + 1 })).toBe(true);
    expect(await reinstateAccount(db, { accountId: acme.id, staffId, now: FIXTURE_NOW + 2 })).toBe(false);
    expect(await accountSuspension(db, acme.id)).toBeNull();
    expect(await readRows(db, 'auditLog', { accountId: acme.id, action: 'account.reinstated' })).toHaveLength(
      1,
    );
  });

  it('refuses a closed account', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'accounts', { closedAt: 5 }, { id: acme.id });
    expect(await suspendAccount(db, suspend)).toBe(false);
    expect(await accountSuspension(db, acme.id)).toBeNull();
  });
});

describe('searching accounts', () => {
  it('finds by part of the organisation or of the owner’s email, in any case, wildcards taken literally', async () => {
    const db = await createTestDatabase();
    const ids = async (text: string) =>
      (await searchAccounts(db, { text, limit: 10, offset: 0 })).accounts.map((a) => a.id);
    expect(await ids('GLOBEX')).toEqual([globex.id]);
    expect(await ids('ian@initech')).toEqual([initech.id]);
    // Adam is an agent, not the owner: his address finds nothing.
    expect(await ids('adam@acme')).toEqual([]);
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
  });

  it('filters by status and pages through the list', async () => {
    const db = await createTestDatabase();
    await suspendAccount(db, suspend);
    await updateRows(db, 'accounts', { closedAt: 5 }, { id: initech.id });
    const suspended = await searchAccounts(db, { status: 'suspended', limit: 10, offset: 0 });
    expect(suspended.accounts).toEqual([
      expect.objectContaining({
        id: acme.id,
        suspensionReason: 'Unpaid since May',
        suspendedAt: FIXTURE_NOW,
      }),
    ]);
    expect(
      (await searchAccounts(db, { status: 'open', limit: 10, offset: 0 })).accounts.map((a) => a.id),
    ).toEqual([globex.id]);
    const first = await searchAccounts(db, { limit: 2, offset: 0 });
    const second = await searchAccounts(db, { limit: 2, offset: 2 });
    expect([first.more, second.more]).toEqual([true, false]);
    expect([...first.accounts, ...second.accounts].map((a) => a.id)).toEqual([
      acme.id,
      globex.id,
      initech.id,
    ]);
  });
});
