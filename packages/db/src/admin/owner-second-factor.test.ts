import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../second-factor/recovery-codes.ts';
import {
  confirmEnrolment,
  type FactorOwner,
  hasSecondFactor,
  startEnrolment,
} from '../second-factor/second-factors.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, readRows, updateRows } from '../testing/index.ts';
import { resetOwnerSecondFactor } from './owner-second-factor.ts';

const { acme, globex } = FIXTURE.accounts;
const olivia: FactorOwner = { kind: 'agent', id: FIXTURE.agents.acmeOwner.id };
const adam: FactorOwner = { kind: 'agent', id: FIXTURE.agents.acmeAgent.id };
const staffId = FIXTURE.staff.operator.id;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
  for (const owner of [olivia, adam]) {
    await startEnrolment(db, { owner, sealedSecret: `sealed-${owner.id}`, now: FIXTURE_NOW });
    await confirmEnrolment(db, {
      owner,
      step: 1,
      recoveryCodeHashes: newRecoveryCodes().map(hashRecoveryCode),
      now: FIXTURE_NOW,
    });
  }
});
afterEach(async () => {
  await closeDatabase(db);
});

const reset = (accountId: string, email: string) =>
  resetOwnerSecondFactor(db, {
    accountId,
    email,
    staffId,
    now: FIXTURE_NOW + 1,
    mail: ({ name }) => ({ subject: 'Your second factor was reset', body: `Hello ${name}` }),
  });

describe('staff resetting an owner’s second factor', () => {
  it('SEC-1: removes it when given the owner’s address, tells the owner there, and records who did it by id', async () => {
    expect(await reset(acme.id, '  OLIVIA@acme.test ')).toBe('reset');
    expect(await hasSecondFactor(db, olivia)).toBe(false);
    expect(await hasSecondFactor(db, adam)).toBe(true);
    expect(await readRows(db, 'noticeOutbox', { kind: 'account_security' })).toEqual([
      expect.objectContaining({
        toEmail: FIXTURE.agents.acmeOwner.email,
        accountId: acme.id,
        subject: 'Your second factor was reset',
        body: 'Hello Olivia',
      }),
    ]);
    expect(await readRows(db, 'auditLog', { action: 'second_factor.owner_reset' })).toEqual([
      expect.objectContaining({
        actorKind: 'staff',
        actorId: staffId,
        accountId: acme.id,
        detail: { agentId: olivia.id },
      }),
    ]);
    expect(await reset(acme.id, FIXTURE.agents.acmeOwner.email)).toBe('no_second_factor');
  });

  it('SEC-1: leaves everything as it was for an agent’s address, another account’s owner, or a closed account', async () => {
    expect(await reset(acme.id, FIXTURE.agents.acmeAgent.email)).toBe('not_the_owner');
    expect(await reset(globex.id, FIXTURE.agents.acmeOwner.email)).toBe('not_the_owner');
    await updateRows(db, 'accounts', { closedAt: FIXTURE_NOW }, { id: acme.id });
    expect(await reset(acme.id, FIXTURE.agents.acmeOwner.email)).toBe('not_the_owner');
    expect(await hasSecondFactor(db, olivia)).toBe(true);
    expect(await hasSecondFactor(db, adam)).toBe(true);
    expect(await readRows(db, 'noticeOutbox', { kind: 'account_security' })).toEqual([]);
    expect(await readRows(db, 'auditLog', { action: 'second_factor.owner_reset' })).toEqual([]);
  });
});
