import type { SignInLimits } from './sign-in-throttle.ts';

/**
 * COL-1: how many businesses one client address may sign up, and how often one email address may be signed up,
 * counted by a `SignInThrottle` of its own (so a shared store limits every node alike). Every sign-up counts as a
 * failed attempt: none gives its attempt back. Five at once from one address, then one every ten minutes; three for
 * one email address, then 1 minute, 2, 4 … up to an hour between them, forgotten a day after the last one.
 */
export const SIGN_UP_LIMITS: SignInLimits = {
  addressBurst: 5,
  addressRefillMs: 10 * 60_000,
  emailFreeFailures: 3,
  emailBaseDelayMs: 60_000,
  emailMaxDelayMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  maxEntries: 100_000,
};

/** The sentence the sign-up form shows when a sign-up is held back, saying how long to wait. */
export function signUpThrottledMessage(refusal: {
  limitedBy: 'address' | 'email';
  retryAfterMs: number;
}): string {
  const minutes = Math.max(1, Math.ceil(refusal.retryAfterMs / 60_000));
  const wait = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return refusal.limitedBy === 'address'
    ? `Too many sign-ups have come from your network in a short time. Try again in ${wait}.`
    : `This email address was signed up several times in a short time. Try again in ${wait}.`;
}
