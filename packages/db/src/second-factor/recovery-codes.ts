import { randomInt } from 'node:crypto';
import { sha256 } from '../ids.ts';

/** How many recovery codes an enrolment gives; each works once. */
export const RECOVERY_CODE_COUNT = 10;

/** No 0/O or 1/I/L, so that a code copied from paper is read right. 10 characters of 31: about 50 bits. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Fresh codes, shown once, in the `XXXXX-XXXXX` form people copy. */
export const newRecoveryCodes = (): string[] =>
  Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });

/** Typed codes match whatever the case and the dashes or spaces. */
export const normalizeRecoveryCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Only this hash is stored. A fast hash suffices: a code holds 50 random bits (no dictionary to try), and every
 * attempt to use one goes through the second factor's throttle.
 */
export const hashRecoveryCode = (code: string): string => sha256(`recovery:${normalizeRecoveryCode(code)}`);

/** Whether typed text is shaped like a recovery code rather than a six-digit TOTP code. */
export const looksLikeRecoveryCode = (code: string): boolean => normalizeRecoveryCode(code).length === 10;
