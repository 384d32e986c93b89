import type { ParleyDb } from '../connection.ts';
import { type QrDrawing, qrDrawing } from './qr-code.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import {
  acceptTotpStep,
  confirmEnrolment,
  type FactorOwner,
  ownerLabel,
  secondFactorOf,
  startEnrolment,
  useRecoveryCode,
} from './second-factors.ts';
import { openSecret, type SecretBoxKey, sealSecret } from './secret-box.ts';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.ts';

/**
 * SEC-1: the steps of a second factor that the dashboard and the admin console share: enrol (a secret shown once,
 * as a QR code and as text), confirm with a first code (which gives the recovery codes), and check a code at sign-in.
 * Throttling is the caller's: each app counts attempts with its sign-in throttle.
 */

/** The keys second-factor secrets are sealed with: the first seals, all of them open. */
export type SecondFactorKeys = readonly [SecretBoxKey, ...SecretBoxKey[]];

/** What a person is shown to set up their authenticator app; nothing of it is stored in clear. */
export interface EnrolmentOffer {
  /** Base32, for typing into an app by hand. */
  secret: string;
  uri: string;
  /** The QR code of `uri`, for the page to draw as SVG. */
  qr: QrDrawing;
}

/**
 * Begins (or begins again) an enrolment: a new secret, sealed and stored unconfirmed. Null when the person already
 * has a confirmed factor.
 */
export async function offerEnrolment(
  db: ParleyDb,
  input: { owner: FactorOwner; keys: SecondFactorKeys; issuer: string; label: string; now: number },
): Promise<EnrolmentOffer | null> {
  const secret = newTotpSecret();
  const sealedSecret = sealSecret(input.keys[0], ownerLabel(input.owner), secret);
  if (!(await startEnrolment(db, { owner: input.owner, sealedSecret, now: input.now }))) return null;
  const uri = otpauthUri({ issuer: input.issuer, label: input.label, secret });
  return { secret, uri, qr: qrDrawing(uri) };
}

export type ConfirmOutcome =
  | { outcome: 'confirmed'; recoveryCodes: string[] }
  | { outcome: 'wrong_code' }
  | { outcome: 'not_enrolling' };

/** Confirms an enrolment with a first valid code; the recovery codes come back once, and only their hashes stay. */
export async function confirmWithCode(
  db: ParleyDb,
  input: { owner: FactorOwner; keys: SecondFactorKeys; code: string; now: number },
): Promise<ConfirmOutcome> {
  const factor = await secondFactorOf(db, input.owner);
  if (!factor || factor.confirmedAt !== null) return { outcome: 'not_enrolling' };
  const secret = openSecret(input.keys, ownerLabel(input.owner), factor.secret);
  const step = secret === null ? null : matchTotp(secret, input.code, input.now);
  if (step === null) return { outcome: 'wrong_code' };
  const recoveryCodes = newRecoveryCodes();
  const confirmed = await confirmEnrolment(db, {
    owner: input.owner,
    step,
    recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
    now: input.now,
  });
  return confirmed ? { outcome: 'confirmed', recoveryCodes } : { outcome: 'not_enrolling' };
}

/**
 * Checks a TOTP code or a recovery code against the person's confirmed factor and spends it: the code's time step
 * (or the recovery code) is never accepted again. Null for a wrong, replayed or spent code, or no factor.
 */
export async function checkSecondFactor(
  db: ParleyDb,
  input: { owner: FactorOwner; keys: SecondFactorKeys; code: string; now: number },
): Promise<'totp' | 'recovery' | null> {
  const factor = await secondFactorOf(db, input.owner);
  if (factor?.confirmedAt == null) return null;
  if (looksLikeRecoveryCode(input.code))
    return (await useRecoveryCode(db, input.owner, hashRecoveryCode(input.code))) ? 'recovery' : null;
  const secret = openSecret(input.keys, ownerLabel(input.owner), factor.secret);
  const step = secret === null ? null : matchTotp(secret, input.code, input.now);
  if (step === null) return null;
  return (await acceptTotpStep(db, input.owner, step)) ? 'totp' : null;
}
