import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, fromCwd, loadConfig } from '@parley/config';
import { closeDatabase, createStaffMember, hashPassword } from '@parley/db';
import { z } from 'zod';
import { openStore } from './bootstrap.ts';
import { locateAssets } from './paths.ts';
import { StartupError } from './startup-error.ts';

// `pnpm --filter @parley/server create-staff --email ops@example.com --name "Oona Operator"` adds a staff member
// of the admin console and prints a generated password, once: only its scrypt hash is stored. It opens the store
// the chat server's settings name (DATABASE_URL, PARLEY_CONFIG), the same way the server does.
//
// SEC-1: the second factor is left to the first sign-in, which the console does not let past until the new staff
// member has scanned a QR code and typed a first code: the secret is then shown only in their browser, to them,
// never in a terminal or its scrollback that whoever ran this command could read.

const Args = z.object({
  email: z.email({ message: '--email must be an email address' }),
  name: z.string().trim().min(1, { message: '--name is required' }).max(200),
});

const USAGE = 'Usage: create-staff --email <address> --name <name>';

function fail(message: string, usage = true): never {
  console.error(usage ? `${message}\n${USAGE}` : message);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } }, strict: true });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
const args = Args.safeParse(values);
if (!args.success) fail(args.error.issues.map((i) => i.message).join('\n'));

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(`Parley's settings are not valid: ${error.message}`, false);
    throw error;
  }
})();
// A mistyped path must not create an empty installation with one staff member in it.
const location = config.DATABASE_URL;
if (location.kind === 'sqlite' && !existsSync(fromCwd(location.path)))
  fail(`No database at ${fromCwd(location.path)}. Start Parley once, or set DATABASE_URL.`, false);

const db = await openStore(config, locateAssets().assets.migrations).catch((error: unknown) =>
  error instanceof StartupError ? fail(error.message, false) : Promise.reject(error),
);

// 144 random bits, URL-safe so that it survives copying from a terminal.
const password = randomBytes(18).toString('base64url');
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
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeDatabase(db);
}
