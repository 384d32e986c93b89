import type { Config } from '@parley/config';
import { closeDatabase, hasStaff, type ParleyDb } from '@parley/db';
import { contentInForce } from '@parley/policy';
import { Command } from 'commander';
import { AppError } from '../errors.ts';
import { installationPolicy } from '../privacy/installation-policy.ts';
import { Installation, setUpInstallation } from '../setup/set-up.ts';
import { ensureSetupToken, linkBase, SETUP_LINK_LIFETIME_MS, setupLink } from '../setup/setup-link.ts';
import { CommandError, openInstallation, settings } from './common.ts';
import { generatedPassword } from './create-staff.ts';

// `parley setup` does from a terminal what the setup page does: it creates the first staff member of the admin
// console and, if asked, the first business with its owner, through the same code. Passwords come from stdin
// (never an argument, which every user of the machine can read in the process list) or are generated and shown
// once. Without --email it prints a fresh one-time link to the setup page instead.

export interface SetupOptions {
  email?: string;
  name?: string;
  passwordStdin?: boolean;
  business?: string;
  ownerName?: string;
  ownerEmail?: string;
}

const ALREADY =
  'This installation is set up already: add staff members with `parley create-staff --email <address> --name <name>`.';

async function readStdin(): Promise<string[]> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/);
}

/** The installation to create, from the options; a missing or invalid part is one line naming the option. */
async function installationFrom(
  options: SetupOptions,
): Promise<{ installation: Installation; shown: string[] }> {
  const business = options.business !== undefined;
  if (!business && (options.ownerName !== undefined || options.ownerEmail !== undefined))
    throw new CommandError('--owner-name and --owner-email belong to --business <name>.');
  if (business && (options.ownerName === undefined || options.ownerEmail === undefined))
    throw new CommandError('--business needs --owner-name and --owner-email too.');
  if (options.name === undefined) throw new CommandError('--email needs --name too.');
  const lines = options.passwordStdin ? await readStdin() : [];
  const staffPassword = options.passwordStdin ? (lines[0] ?? '') : generatedPassword();
  const ownerPassword = options.passwordStdin ? (lines[1] ?? '') : generatedPassword();
  if (options.passwordStdin && business && ownerPassword === '')
    throw new CommandError(
      "--password-stdin with --business reads two lines: the staff member's password, then the owner's.",
    );
  const parsed = Installation.safeParse({
    staff: { name: options.name, email: options.email, password: staffPassword },
    business: business
      ? {
          organization: options.business,
          ownerName: options.ownerName,
          email: options.ownerEmail,
          password: ownerPassword,
        }
      : undefined,
  });
  if (!parsed.success)
    throw new CommandError(
      parsed.error.issues.map((issue) => `${optionOf(issue.path)}: ${issue.message}`).join('; '),
    );
  const shown = options.passwordStdin
    ? []
    : [
        `Password of ${parsed.data.staff.email} (shown once, store it in a password manager): ${staffPassword}`,
      ];
  if (!options.passwordStdin && parsed.data.business)
    shown.push(
      `Password of the owner ${parsed.data.business.email} (shown once, hand it over safely): ${ownerPassword}`,
    );
  return { installation: parsed.data, shown };
}

/** The option a problem of the schema's path came from. */
function optionOf(path: readonly PropertyKey[]): string {
  const [part, field] = path.map(String);
  if (field === 'password')
    return part === 'staff' ? 'the password on stdin' : "the owner's password on stdin";
  if (part === 'staff') return `--${field}`;
  return (
    { organization: '--business', ownerName: '--owner-name', email: '--owner-email' }[field ?? ''] ??
    part ??
    ''
  );
}

async function printLink(db: ParleyDb, config: Config): Promise<void> {
  const token = await ensureSetupToken(db);
  if (token === null) throw new CommandError(ALREADY);
  const { base, fromPublicUrl } = linkBase(config);
  const hours = SETUP_LINK_LIFETIME_MS / 3_600_000;
  console.log(`Set up this installation: ${setupLink(base, token)}`);
  console.log(
    `The link works once, for ${hours} hours; a link printed before (by this command or a start) works no more.`,
  );
  if (!fromPublicUrl)
    console.log(
      `PARLEY_PUBLIC_URL is not set, so the link uses the chat server's own address, ${base}: set PARLEY_PUBLIC_URL to the address people reach Parley at, or replace the start of the link.`,
    );
}

export async function setup(options: SetupOptions): Promise<void> {
  const config = settings();
  const wantsAccount = Object.entries(options).some(([, value]) => value !== undefined);
  if (wantsAccount && options.email === undefined)
    throw new CommandError('Give --email and --name to set up from here, or nothing for a setup link.');
  // Read before the store is opened: a mistake in the options must leave a new installation's store untouched.
  const wanted = options.email === undefined ? null : await installationFrom(options);
  const db = await openInstallation(config, { create: true });
  try {
    if (await hasStaff(db)) throw new CommandError(ALREADY);
    if (wanted === null) return await printLink(db, config);
    const created = await setUpInstallation(db, {
      installation: wanted.installation,
      // COL-4: the installation's region, from the policy in force as the server reads it at its start.
      region: contentInForce(await installationPolicy(db, config)).regions.installation,
      now: Date.now(),
    }).catch((error: unknown) => {
      throw error instanceof AppError ? new CommandError(error.message) : error;
    });
    console.log(`Parley is set up. Staff member: ${created.staff.name} <${created.staff.email}>.`);
    if (created.accountId) console.log(`Business account: ${created.accountId}; its owner signs in at /app.`);
    for (const line of wanted.shown) console.log(line);
    console.log(
      'Sign in to the admin console (ADMIN_HOST:ADMIN_PORT); at the first sign-in a second factor (an authenticator app) is set up before anything else.',
    );
  } finally {
    await closeDatabase(db);
  }
}

export const setupCommand = () =>
  new Command('setup')
    .summary('set up a new installation: its first staff member, or a one-time setup link')
    .description(
      'Sets up an installation that has no staff member yet, as the setup page does. With --email and --name it creates the first staff member of the admin console (and with --business the first business and its owner); passwords are read from stdin with --password-stdin (one line each: the staff member, then the owner), or generated and shown once. With no options it prints a fresh one-time link to the setup page, at PARLEY_PUBLIC_URL. Refused once the installation has a staff member: use create-staff then.',
    )
    .option('--email <address>', 'the first staff member: the email address they sign in with')
    .option('--name <name>', 'the first staff member: their name')
    .option('--password-stdin', 'read the password(s) from stdin, one line each, instead of generating them')
    .option('--business <name>', "also create the first business account, with this organization's name")
    .option('--owner-name <name>', "the business owner's name")
    .option('--owner-email <address>', "the business owner's email address, which they sign in to /app with")
    .action(setup);
