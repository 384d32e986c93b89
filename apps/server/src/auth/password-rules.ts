import { z } from 'zod';

/** The one rule for a password a person chooses: when invited, when changing it, and when resetting a forgotten one. */
export const MIN_PASSWORD_LENGTH = 10;

export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `the password needs at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(1024);
