import { z } from 'zod';

/** The shortest password Parley accepts for anyone it creates a sign-in for: agents, owners and staff alike. */
export const MIN_PASSWORD_LENGTH = 10;

/** A new password, checked the same way wherever one is chosen. */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `the password needs at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(1024);

/** An email address as people type it, trimmed and checked. */
export const EmailAddress = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'the email address is not valid' }));
