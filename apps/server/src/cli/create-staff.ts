import { randomBytes } from 'node:crypto';
import { closeDatabase, createStaffMember, hashPassword } from '@parley/db';
import { Command } from 'commander';
import { z } from 'zod';
import { CommandError, openInstallation, settings } from './common.ts';

// SEC-1: the second factor is left to the first sign-in, which the console does not let past until the new staff
// member has scanned a QR code and typed a first code: the secret is then shown only in their browser, to them,
// never in a terminal or its scrollback that whoever ran this command could read.

const Args = z.object({
  email: z.email({ message: '--email must be an email address' }),
  name: z.string().trim().min(1, { message: '--name is required' }).max(200),
});

/** A password made for someone: 144 random bits, URL-safe so that it survives copying from a terminal. */
export const generatedPassword = (): string => randomBytes(18).toString('base64url');

/** Adds a staff member of the admin console and prints a generated password, once: only its scrypt hash is stored. */
export async function createStaff(options: { email?: string; name?: string }): Promise<void> {
  const args = Args.safeParse(options);
  if (!args.success) throw new CommandError(args.error.issues.map((i) => i.message).join('; '));
  const db = await openInstallation(settings());
  const password = generatedPassword();
  try {
    const staff = await createStaffMember(db, {
      email: args.data.email,
      name: args.data.name,
      passwordHash: await hashPassword(password),
    });
    console.log(`Created staff member ${staff.name} <${staff.email}> (${staff.id}).`);
    console.log(`Password (shown once, store it in a password manager): ${password}`);
    console.log(
      'At their first sign-in to the admin console they set up a second factor (an authenticator app) before anything else.',
    );
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error));
  } finally {
    await closeDatabase(db);
  }
}

export const createStaffCommand = () =>
  new Command('create-staff')
    .summary('add a staff member of the admin console')
    .description(
      'Adds a staff member of the admin console to the installation DATABASE_URL names and prints a generated password once (only its hash is stored). At their first sign-in they set up a second factor before anything else (SEC-1).',
    )
    .requiredOption('--email <address>', "the staff member's email address, which they sign in with")
    .requiredOption('--name <name>', 'their name, as the console shows it')
    .action(createStaff);
