import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  closeDatabase,
  createStaffMember,
  defaultMigrationsFolder,
  hashPassword,
  migrate,
  openDatabase,
} from '@parley/db';
import { z } from 'zod';
import { readEnv } from './env.ts';

// `pnpm --filter @parley/admin create-staff --email ops@example.com --name "Oona Operator"` adds a staff member
// and prints a generated password, once: only its scrypt hash is stored.

const Args = z.object({
  email: z.email({ message: '--email must be an email address' }),
  name: z.string().trim().min(1, { message: '--name is required' }).max(200),
});

const USAGE = 'Usage: create-staff --email <address> --name <name>';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
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

const env = readEnv();
if (!existsSync(env.DATABASE_PATH))
  fail(`No database at ${env.DATABASE_PATH}. Start Parley once, or set DATABASE_PATH.`);
const db = openDatabase(env.DATABASE_PATH);
const bundled = fileURLToPath(new URL('./drizzle', import.meta.url));
await migrate(db, existsSync(bundled) ? bundled : defaultMigrationsFolder);

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
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await closeDatabase(db);
}
