import { and, count, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { lockFor, read, readOne, type Tables, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** Whose second factor: a dashboard person (agent, admin or owner) or a staff member of the console. */
export interface FactorOwner {
  kind: 'agent' | 'staff';
  id: string;
}

/** The associated data a sealed secret is bound to (see `sealSecret`). */
export const ownerLabel = (owner: FactorOwner): string => `${owner.kind}:${owner.id}`;

export interface StoredSecondFactor {
  id: string;
  /** Sealed with `sealSecret`; open it with the installation's second-factor key. */
  secret: string;
  confirmedAt: number | null;
  lastStep: number | null;
}

const ownedBy = ({ secondFactors }: Tables, owner: FactorOwner) =>
  owner.kind === 'agent' ? eq(secondFactors.agentId, owner.id) : eq(secondFactors.staffId, owner.id);

/** The person's second factor, confirmed or still being enrolled, or null. */
export async function secondFactorOf(db: ParleyDb, owner: FactorOwner): Promise<StoredSecondFactor | null> {
  return readOne(db, (o, t) =>
    o
      .select({
        id: t.secondFactors.id,
        secret: t.secondFactors.secret,
        confirmedAt: t.secondFactors.confirmedAt,
        lastStep: t.secondFactors.lastStep,
      })
      .from(t.secondFactors)
      .where(ownedBy(t, owner)),
  );
}

/** Whether the person has a confirmed second factor. */
export async function hasSecondFactor(db: ParleyDb, owner: FactorOwner): Promise<boolean> {
  return (await secondFactorOf(db, owner))?.confirmedAt != null;
}

/**
 * Starts an enrolment with a sealed secret, replacing an enrolment not yet confirmed. Returns false, changing
 * nothing, when the person already has a confirmed factor: that one is turned off first, with a code.
 */
export async function startEnrolment(
  db: ParleyDb,
  input: { owner: FactorOwner; sealedSecret: string; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    await lockFor(db, `second-factor:${ownerLabel(input.owner)}`);
    const existing = await secondFactorOf(db, input.owner);
    if (existing?.confirmedAt != null) return false;
    if (existing)
      await write(db, (o, t) => o.delete(t.secondFactors).where(eq(t.secondFactors.id, existing.id)));
    await write(db, (o, { secondFactors }) =>
      o.insert(secondFactors).values({
        id: newId('tfa'),
        agentId: input.owner.kind === 'agent' ? input.owner.id : null,
        staffId: input.owner.kind === 'staff' ? input.owner.id : null,
        secret: input.sealedSecret,
        createdAt: input.now,
      }),
    );
    return true;
  });
}

/**
 * Confirms an enrolment with the step of its first valid code (which is then spent) and stores the recovery codes'
 * hashes. False when there is no enrolment waiting, e.g. two confirmations at once: only one succeeds.
 */
export async function confirmEnrolment(
  db: ParleyDb,
  input: { owner: FactorOwner; step: number; recoveryCodeHashes: string[]; now: number },
): Promise<boolean> {
  return transaction(db, async () => {
    const factor = await secondFactorOf(db, input.owner);
    if (!factor || factor.confirmedAt !== null) return false;
    const confirmed = await write(db, (o, { secondFactors }) =>
      o
        .update(secondFactors)
        .set({ confirmedAt: input.now, lastStep: input.step })
        .where(and(eq(secondFactors.id, factor.id), isNull(secondFactors.confirmedAt))),
    );
    if (confirmed !== 1) return false;
    await write(db, (o, { recoveryCodes }) =>
      o.insert(recoveryCodes).values(
        input.recoveryCodeHashes.map((codeHash) => ({
          factorId: factor.id,
          codeHash,
          createdAt: input.now,
        })),
      ),
    );
    return true;
  });
}

/**
 * SEC-1: spends a time step: true only if it is later than the last step accepted for this person. One conditional
 * update, so that the same code sent twice at once (or to two nodes) is accepted once.
 */
export async function acceptTotpStep(db: ParleyDb, owner: FactorOwner, step: number): Promise<boolean> {
  const accepted = await write(db, (o, t) =>
    o
      .update(t.secondFactors)
      .set({ lastStep: step })
      .where(
        and(
          ownedBy(t, owner),
          isNotNull(t.secondFactors.confirmedAt),
          or(isNull(t.secondFactors.lastStep), lt(t.secondFactors.lastStep, step)),
        ),
      ),
  );
  return accepted === 1;
}

/** SEC-1: spends a recovery code (its row goes): true only the first time, also when it is sent twice at once. */
export async function useRecoveryCode(db: ParleyDb, owner: FactorOwner, codeHash: string): Promise<boolean> {
  const factor = await secondFactorOf(db, owner);
  if (factor?.confirmedAt == null) return false;
  const used = await write(db, (o, { recoveryCodes }) =>
    o
      .delete(recoveryCodes)
      .where(and(eq(recoveryCodes.factorId, factor.id), eq(recoveryCodes.codeHash, codeHash))),
  );
  return used === 1;
}

/** How many unused recovery codes the person has left. */
export async function recoveryCodesLeft(db: ParleyDb, owner: FactorOwner): Promise<number> {
  const [counted] = await read(db, (o, t) =>
    o
      .select({ n: count() })
      .from(t.recoveryCodes)
      .innerJoin(t.secondFactors, eq(t.secondFactors.id, t.recoveryCodes.factorId))
      .where(ownedBy(t, owner)),
  );
  return Number(counted?.n ?? 0);
}

/** Removes the person's second factor, with its recovery codes. True if there was one. */
export async function removeSecondFactor(db: ParleyDb, owner: FactorOwner): Promise<boolean> {
  return (await write(db, (o, t) => o.delete(t.secondFactors).where(ownedBy(t, owner)))) > 0;
}
