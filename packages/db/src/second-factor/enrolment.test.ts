import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type ParleyDb } from '../connection.ts';
import { createTestDatabase, FIXTURE, readRow } from '../testing/index.ts';
import { checkSecondFactor, confirmWithCode, offerEnrolment, type SecondFactorKeys } from './enrolment.ts';
import type { FactorOwner } from './second-factors.ts';
import { base32Decode, totpCode } from './totp.ts';

const adam: FactorOwner = { kind: 'agent', id: FIXTURE.agents.acmeAgent.id };
const keys: SecondFactorKeys = [{ id: 'k1', key: randomBytes(32) }];
const NOW = 1_700_000_000_000;

let db: ParleyDb;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await closeDatabase(db);
});

async function enrolled(owner = adam) {
  const offer = await offerEnrolment(db, {
    owner,
    keys,
    issuer: 'Parley',
    label: 'adam@acme.test',
    now: NOW,
  });
  if (!offer) throw new Error('no offer');
  const confirmed = await confirmWithCode(db, { owner, keys, code: totpCode(offer.secret, NOW), now: NOW });
  if (confirmed.outcome !== 'confirmed') throw new Error(confirmed.outcome);
  return { secret: offer.secret, recoveryCodes: confirmed.recoveryCodes, offer };
}

describe('SEC-1: enrolling and checking a second factor', () => {
  it('SEC-1: the offer gives the secret as text, URI and QR code; the store keeps it sealed', async () => {
    const offer = await offerEnrolment(db, { owner: adam, keys, issuer: 'Parley', label: 'a', now: NOW });
    expect(base32Decode(offer!.secret)).toHaveLength(20);
    expect(offer!.uri).toContain(`secret=${offer!.secret}`);
    // Version 4 or above (33+ modules) with a quiet zone of four on each side, drawn module by module.
    expect(offer!.qr.size).toBeGreaterThanOrEqual(33 + 8);
    expect(offer!.qr.path).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    expect(offer!.qr.path.startsWith('M4 4h1v1h-1z')).toBe(true);
    const row = await readRow(db, 'secondFactors', { agentId: adam.id });
    expect(row?.secret).not.toContain(offer!.secret);
    expect(row?.confirmedAt).toBeNull();
  });

  it('SEC-1: a wrong first code does not confirm; the right one gives ten recovery codes, once', async () => {
    const offer = await offerEnrolment(db, { owner: adam, keys, issuer: 'Parley', label: 'a', now: NOW });
    // A code of ten minutes later is outside the window.
    const stale = totpCode(offer!.secret, NOW + 600_000);
    expect(await confirmWithCode(db, { owner: adam, keys, code: stale, now: NOW })).toEqual({
      outcome: 'wrong_code',
    });
    const confirmed = await confirmWithCode(db, {
      owner: adam,
      keys,
      code: totpCode(offer!.secret, NOW),
      now: NOW,
    });
    expect(confirmed.outcome).toBe('confirmed');
    expect(confirmed.outcome === 'confirmed' && confirmed.recoveryCodes).toHaveLength(10);
    expect(
      await confirmWithCode(db, { owner: adam, keys, code: totpCode(offer!.secret, NOW + 30_000), now: NOW }),
    ).toEqual({ outcome: 'not_enrolling' });
    // A second offer is refused while the factor is confirmed.
    expect(
      await offerEnrolment(db, { owner: adam, keys, issuer: 'Parley', label: 'a', now: NOW }),
    ).toBeNull();
  });

  it('SEC-1: a code is accepted once: the confirming code, then each later code, and never again (replay refused)', async () => {
    const { secret } = await enrolled();
    // The code that confirmed the enrolment is spent.
    expect(
      await checkSecondFactor(db, { owner: adam, keys, code: totpCode(secret, NOW), now: NOW }),
    ).toBeNull();
    const later = NOW + 30_000;
    const code = totpCode(secret, later);
    expect(await checkSecondFactor(db, { owner: adam, keys, code, now: later })).toBe('totp');
    expect(await checkSecondFactor(db, { owner: adam, keys, code, now: later })).toBeNull();
    expect(await checkSecondFactor(db, { owner: adam, keys, code, now: later + 10_000 })).toBeNull();
  });

  it('SEC-1: a recovery code signs in once; a key other than the installation’s opens nothing', async () => {
    const { secret, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3]!;
    expect(await checkSecondFactor(db, { owner: adam, keys, code, now: NOW })).toBe('recovery');
    expect(await checkSecondFactor(db, { owner: adam, keys, code, now: NOW })).toBeNull();
    const otherKeys: SecondFactorKeys = [{ id: 'k1', key: randomBytes(32) }];
    const later = NOW + 60_000;
    expect(
      await checkSecondFactor(db, {
        owner: adam,
        keys: otherKeys,
        code: totpCode(secret, later),
        now: later,
      }),
    ).toBeNull();
  });
});
