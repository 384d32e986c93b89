import { contentInForce, parleyPolicy } from '@parley/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAccount, exportAccount } from '../account-data.ts';
import { removeAgent } from '../chat/agents.ts';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { sweepRetention } from '../retention.ts';
import { atOnce } from '../testing/at-once.ts';
import { countRows, createTestDatabase, FIXTURE, updateRows } from '../testing/index.ts';
import { hashRecoveryCode, newRecoveryCodes, RECOVERY_CODE_COUNT } from './recovery-codes.ts';
import {
  acceptTotpStep,
  confirmEnrolment,
  type FactorOwner,
  hasSecondFactor,
  recoveryCodesLeft,
  removeSecondFactor,
  secondFactorOf,
  startEnrolment,
  useRecoveryCode,
} from './second-factors.ts';

const adam: FactorOwner = { kind: 'agent', id: FIXTURE.agents.acmeAgent.id };
const oona: FactorOwner = { kind: 'staff', id: FIXTURE.staff.operator.id };
const NOW = 1_000_000;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

async function enrol(owner: FactorOwner, step = 100) {
  const codes = newRecoveryCodes();
  expect(await startEnrolment(db, { owner, sealedSecret: `sealed-${owner.id}`, now: NOW })).toBe(true);
  expect(
    await confirmEnrolment(db, { owner, step, recoveryCodeHashes: codes.map(hashRecoveryCode), now: NOW }),
  ).toBe(true);
  return codes;
}

describe('SEC-1: second factors in the store', () => {
  it('SEC-1: an enrolment counts only once confirmed, and a confirmed factor is not replaced by a new enrolment', async () => {
    expect(await startEnrolment(db, { owner: adam, sealedSecret: 'first', now: NOW })).toBe(true);
    expect(await hasSecondFactor(db, adam)).toBe(false);
    // Starting again replaces the unconfirmed one.
    expect(await startEnrolment(db, { owner: adam, sealedSecret: 'second', now: NOW })).toBe(true);
    expect((await secondFactorOf(db, adam))?.secret).toBe('second');
    expect(await countRows(db, 'secondFactors')).toBe(1);
    expect(await confirmEnrolment(db, { owner: adam, step: 5, recoveryCodeHashes: ['h'], now: NOW })).toBe(
      true,
    );
    expect(await confirmEnrolment(db, { owner: adam, step: 6, recoveryCodeHashes: ['i'], now: NOW })).toBe(
      false,
    );
    expect(await hasSecondFactor(db, adam)).toBe(true);
    expect(await startEnrolment(db, { owner: adam, sealedSecret: 'third', now: NOW })).toBe(false);
    expect((await secondFactorOf(db, adam))?.secret).toBe('second');
    // Staff have their own.
    expect(await hasSecondFactor(db, oona)).toBe(false);
  });

  it('SEC-1: each time step is accepted once: a replayed or older code is refused, also when sent twice at once', async () => {
    await enrol(adam, 100);
    expect(await acceptTotpStep(db, adam, 100)).toBe(false);
    expect(await acceptTotpStep(db, adam, 99)).toBe(false);
    const both = await atOnce(db, [() => acceptTotpStep(db, adam, 101), () => acceptTotpStep(db, adam, 101)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await acceptTotpStep(db, adam, 102)).toBe(true);
    expect((await secondFactorOf(db, adam))?.lastStep).toBe(102);
    // Nobody else's step moved.
    await enrol(oona, 50);
    expect(await acceptTotpStep(db, oona, 51)).toBe(true);
  });

  it('SEC-1: an unconfirmed enrolment accepts no code', async () => {
    await startEnrolment(db, { owner: adam, sealedSecret: 's', now: NOW });
    expect(await acceptTotpStep(db, adam, 10)).toBe(false);
    expect(await useRecoveryCode(db, adam, 'anything')).toBe(false);
  });

  it('SEC-1: a recovery code works once, for its own person only', async () => {
    const codes = await enrol(adam);
    const staffCodes = await enrol(oona);
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await useRecoveryCode(db, oona, hashRecoveryCode(codes[0]!))).toBe(false);
    // Typed in lower case and without its dash, it is the same code.
    const typed = codes[0]!.toLowerCase().replace('-', '');
    const twice = await atOnce(db, [
      () => useRecoveryCode(db, adam, hashRecoveryCode(typed)),
      () => useRecoveryCode(db, adam, hashRecoveryCode(codes[0]!)),
    ]);
    expect(twice.filter(Boolean)).toHaveLength(1);
    expect(await useRecoveryCode(db, adam, hashRecoveryCode(codes[0]!))).toBe(false);
    expect(await recoveryCodesLeft(db, adam)).toBe(RECOVERY_CODE_COUNT - 1);
    expect(await recoveryCodesLeft(db, oona)).toBe(staffCodes.length);
  });

  it('SEC-1: removing a factor removes its recovery codes', async () => {
    await enrol(adam);
    expect(await removeSecondFactor(db, adam)).toBe(true);
    expect(await removeSecondFactor(db, adam)).toBe(false);
    expect(await countRows(db, 'recoveryCodes')).toBe(0);
  });

  it('SEC-1: the second factor goes when the agent is removed or the account closed, and the export says only that one is enrolled', async () => {
    await enrol(adam);
    const owner: FactorOwner = { kind: 'agent', id: FIXTURE.agents.acmeOwner.id };
    await enrol(owner);
    const exported = await exportAccount(db, FIXTURE.accounts.acme.id);
    const text = JSON.stringify(exported);
    expect(text).not.toContain('sealed-');
    const agents = exported.agents as Array<{ id: string; second_factor: boolean }>;
    expect(agents.find((a) => a.id === adam.id)?.second_factor).toBe(true);
    expect(agents.find((a) => a.id === FIXTURE.agents.acmeOwner.id)?.second_factor).toBe(true);

    await removeAgent(db, { accountId: FIXTURE.accounts.acme.id, agentId: adam.id, now: NOW });
    expect(await secondFactorOf(db, adam)).toBeNull();
    await closeAccount(db, { accountId: FIXTURE.accounts.acme.id, now: NOW });
    expect(await secondFactorOf(db, owner)).toBeNull();
    expect(await countRows(db, 'recoveryCodes')).toBe(0);
  });

  it('RET-3, SEC-1: the retention sweep removes a removed staff member’s second factor and an enrolment never confirmed', async () => {
    await enrol(oona);
    await startEnrolment(db, { owner: adam, sealedSecret: 'pending', now: NOW });
    await sweepRetention(db, contentInForce(parleyPolicy), { now: NOW + 3_600_000 });
    expect(await countRows(db, 'secondFactors')).toBe(2);
    await updateRows(db, 'operatorStaff', { removedAt: NOW }, { id: oona.id });
    await sweepRetention(db, contentInForce(parleyPolicy), { now: NOW + 86_400_001 });
    expect(await secondFactorOf(db, oona)).toBeNull();
    expect(await secondFactorOf(db, adam)).toBeNull();
    expect(await countRows(db, 'recoveryCodes')).toBe(0);
  });
});
