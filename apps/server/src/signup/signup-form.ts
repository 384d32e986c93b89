import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * COL-1: the sign-up form resists programs without a third-party captcha. Each form the server hands out carries
 * the moment it was handed out, signed, so a post can tell how long the form was open: a person takes a few seconds
 * to fill it in, a program a few milliseconds. The form also has a field people neither see nor hear (the
 * honeypot), which programs that fill in every field fill in.
 */

/** A person needs at least this long between opening the form and sending it. */
export const MIN_FILL_MS = 3_000;
/** A form open longer than this is handed out again, so an old signed moment cannot be kept and reused forever. */
export const MAX_FORM_AGE_MS = 24 * 60 * 60_000;
/** The honeypot's field name: one a form-filling program expects to fill. */
export const HONEYPOT_FIELD = 'website';

const signature = (key: Buffer, issuedAt: number): string =>
  createHmac('sha256', key).update(`signup-form:${issuedAt}`).digest('base64url');

/** The form token for a form handed out at `now`: the moment and its signature. */
export const issueFormToken = (key: Buffer, now: number): string => `${now}.${signature(key, now)}`;

export type FormCheck =
  | { ok: true }
  | { ok: false; reason: 'forged' | 'too_fast' | 'too_old'; message: string };

/** Whether a posted form was handed out by this installation, long enough ago for a person, and not too long. */
export function checkFormToken(key: Buffer, token: string, now: number): FormCheck {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  const issuedAt = match ? Number(match[1]) : Number.NaN;
  const given = Buffer.from(match?.[2] ?? '', 'base64url');
  const expected = Number.isFinite(issuedAt) ? Buffer.from(signature(key, issuedAt), 'base64url') : null;
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      ok: false,
      reason: 'forged',
      message: 'This form could not be checked. Reload the page and fill it in again.',
    };
  if (now - issuedAt < MIN_FILL_MS)
    return {
      ok: false,
      reason: 'too_fast',
      message:
        'The form was sent quicker than a person fills it in, so it looked automated. Wait a few seconds and send it again.',
    };
  if (now - issuedAt > MAX_FORM_AGE_MS)
    return {
      ok: false,
      reason: 'too_old',
      message: 'This form has been open for more than a day. Reload the page and fill it in again.',
    };
  return { ok: true };
}
