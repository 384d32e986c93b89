import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Keyring, parseKeyring } from '@parley/cookies';
import { parleyPolicy, type RegionCode } from '@parley/policy';
import { z } from 'zod';

// Every setting of Parley, for every app and command. Settings come from the environment and, optionally, from a
// JSON file named by PARLEY_CONFIG; the environment wins over the file.

/** An unset setting and an empty one mean the same: use the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).transform((text) => {
  const url = new URL(text);
  return url.origin;
});

const HeaderName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be an HTTP header name such as cf-ipcountry' })
  .transform((name) => name.toLowerCase());

const Flag = z
  .enum(['1', 'true', 'yes', '0', 'false', 'no'], { message: 'must be 1, true or yes, or 0, false or no' })
  .transform((v) => ['1', 'true', 'yes'].includes(v));

/** COL-4: an installation may run only in a region the policy lists; the newest version lists every one. */
const listedRegions = parleyPolicy.versions[parleyPolicy.versions.length - 1]!.content.regions.available;
const ListedRegion = z.string().refine((code) => listedRegions.includes(code), {
  message: `must be a region the privacy policy lists: ${listedRegions.join(', ')}`,
});

/** A whole number from `min` to `max`, said so when it is not one. */
const wholeNumber = (min: number, max: number) => {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z.coerce
    .number({ message: rule })
    .int({ message: rule })
    .min(min, { message: rule })
    .max(max, { message: rule });
};

const PORT_RULE = 'must be a port number from 0 to 65535 (0: any free port)';
const port = (rule: string) =>
  z.coerce
    .number({ message: rule })
    .int({ message: rule })
    .min(0, { message: rule })
    .max(65535, { message: rule });

/** Where the store lives: an SQLite file (the embedded default) or a PostgreSQL database. */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const DATABASE_URL_RULE =
  'must be file:<path of an SQLite file> (such as file:./data/parley.db) or postgres://user:password@host:5432/database';

export const DatabaseUrl = z.string().transform((text, ctx): DatabaseLocation => {
  if (text.startsWith('file:')) {
    const path = text.startsWith('file://') ? safeFileUrlPath(text) : text.slice('file:'.length);
    if (path) return { kind: 'sqlite', path };
  } else if (/^postgres(ql)?:\/\//.test(text) && URL.canParse(text) && new URL(text).hostname !== '') {
    return { kind: 'postgres', url: text };
  }
  ctx.addIssue({ code: 'custom', message: DATABASE_URL_RULE });
  return z.NEVER;
});

function safeFileUrlPath(text: string): string | null {
  try {
    return fileURLToPath(text);
  } catch {
    return null;
  }
}

export const DEFAULT_DATABASE_URL = 'file:./data/parley.db';

const Settings = z.object({
  PORT: optional(port(PORT_RULE)).default(8787),
  HOST: optional(z.string().min(1)).default('127.0.0.1'),
  /** `file:<path>` (SQLite, the default) or `postgres://…`. */
  DATABASE_URL: optional(DatabaseUrl),
  /** The older spelling of a `file:` DATABASE_URL: the SQLite file's path. */
  DATABASE_PATH: optional(z.string().min(1)),
  /** COL-4: the one region this installation's data lives in; the policy's default when unset. */
  PARLEY_REGION: optional(ListedRegion.transform((code) => code as RegionCode)),
  /** The controller named in the policy (the operator of this installation). */
  PARLEY_OPERATOR_NAME: optional(z.string().trim().min(1).max(200)),
  /** Where people write about their data. */
  PARLEY_PRIVACY_CONTACT: optional(z.string().trim().min(1).max(200)),
  /** The origin people reach this server at, for links in mail and the same-origin check behind a proxy. */
  PARLEY_PUBLIC_URL: optional(HttpUrl),
  /** `id:base64key,...`, the first one current. Unset: a keyring is generated once and kept in the database. */
  PARLEY_SESSION_KEYS: optional(
    z.string().transform((text, ctx): Keyring => {
      try {
        return parseKeyring(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid keyring' });
        return z.NEVER;
      }
    }),
  ),
  /** A header a reverse proxy sets to the visitor's country (e.g. cf-ipcountry). Never the IP itself. */
  PARLEY_COUNTRY_HEADER: optional(HeaderName),
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For hop (truncated, LOG-1). */
  PARLEY_TRUST_PROXY: optional(Flag).default(false),
  /**
   * SEC-1: whether account owners must sign in with a second factor (a TOTP code). `optional` lets each person choose;
   * console staff always need one.
   */
  /**
   * SEC-1: new conversations one account may be asked for per minute, counted across every node; past it a new
   * visitor is asked to try again shortly. Conversations already going on are never held back.
   */
  PARLEY_NEW_CHATS_PER_MINUTE: optional(wholeNumber(1, 1_000_000)).default(30),
  /** The largest file a visitor or an agent may send in a chat, in MiB. */
  PARLEY_FILE_MAX_MIB: optional(wholeNumber(1, 100)).default(10),
  /** How much the files sent in one account's chats may take together, in MiB; past it, files are refused. */
  PARLEY_FILE_QUOTA_MIB: optional(wholeNumber(1, 10_000_000)).default(1024),
  PARLEY_OWNER_2FA: optional(
    z.enum(['required', 'optional'], { message: 'must be required or optional' }),
  ).default('optional'),
  /** The From address of Parley's mail. */
  PARLEY_MAIL_FROM: optional(z.string().trim().min(3).max(200)),
  /** smtp:// or smtps:// URL of the relay (the email-delivery processor). Unset: mail is written to files. */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })),
  PARLEY_MAIL_DIR: optional(z.string().min(1)).default('./data/mail'),
  /**
   * redis:// or rediss:// URL of the Redis several nodes share their live state on (the bus between sockets, agents'
   * presence, the sign-in throttle). Unset: one process keeps it in memory.
   */
  PARLEY_REDIS_URL: optional(
    z.url({
      protocol: /^rediss?$/,
      hostname: /./,
      message: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
    }),
  ),
  /** Put before every Redis key and channel, so that several installations can share one Redis. */
  PARLEY_REDIS_PREFIX: optional(
    z.string().regex(/^[\w:.-]{1,64}$/, { message: 'must be 1 to 64 letters, digits, or _ : . -' }),
  ),
  /**
   * Whether the first start creates a demo account and prints a first staff member's password (`npm start`). Off,
   * for production, nothing is created: the server prints a one-time setup link while no staff member exists.
   */
  PARLEY_DEMO: optional(Flag).default(true),
  /**
   * COL-1: who may sign a business up from the public site: anyone (`open`), only with an invitation code staff
   * made in the console (`invite`), or nobody (`off`, the default: an installation opens sign-up on purpose).
   */
  PARLEY_SIGNUP: optional(
    z.enum(['open', 'invite', 'off'], { message: 'must be open, invite or off' }),
  ).default('off'),
  /** How much the server logs (JSON lines on standard output): info, warn, error, or silent for nothing. */
  PARLEY_LOG_LEVEL: optional(
    z.enum(['info', 'warn', 'error', 'silent'], { message: 'must be info, warn, error or silent' }),
  ).default('info'),
  /** The internal admin console: its own listener, on loopback unless told otherwise. `ADMIN_PORT=off` disables it. */
  ADMIN_HOST: optional(z.string().min(1)).default('127.0.0.1'),
  ADMIN_PORT: optional(
    z.union([z.literal('off'), port(`${PORT_RULE}, or off to turn the console off`)]),
  ).default(8788),
});

/** The names of every setting, as the environment and a config file spell them. */
export const SETTINGS = Object.keys(Settings.shape) as (keyof typeof Settings.shape)[];

export const Config = Settings.transform(({ DATABASE_PATH, DATABASE_URL, ...settings }, ctx) => {
  if (DATABASE_PATH !== undefined && DATABASE_URL !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_PATH'],
      message: 'is the older spelling of DATABASE_URL; set only DATABASE_URL',
    });
    return z.NEVER;
  }
  const database: DatabaseLocation =
    DATABASE_URL ??
    (DATABASE_PATH === undefined
      ? { kind: 'sqlite', path: DEFAULT_DATABASE_URL.slice('file:'.length) }
      : { kind: 'sqlite', path: DATABASE_PATH });
  return { ...settings, DATABASE_URL: database };
});
export type Config = z.infer<typeof Config>;

/**
 * A setting an operator can fix. Each problem is one line naming the setting, the value it holds (unless it is a
 * secret) and what is allowed; start-up prints them as one line.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ConfigError';
  }
}

/** A database URL other than a file path may carry a password; keys, the relay's and Redis's URLs always do. */
function isSecret(name: string, value: string): boolean {
  if (name === 'PARLEY_SESSION_KEYS' || name === 'SMTP_URL' || name === 'PARLEY_REDIS_URL') return true;
  return name === 'DATABASE_URL' && !value.startsWith('file:');
}

type Source = Record<string, string | undefined>;

/**
 * Reads the config file named by PARLEY_CONFIG, if any: one JSON object whose keys are setting names and whose
 * values are strings, numbers or booleans.
 */
function readConfigFile(path: string): Source {
  const named = `PARLEY_CONFIG=${JSON.stringify(path)}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`${named} cannot be read (${code}); name a JSON file this user may read`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      `${named} is not JSON (${error instanceof Error ? error.message : String(error)}); it must hold one object of settings`,
    ]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError([`${named} must hold one JSON object of settings, such as {"PORT": 8787}`]);
  const known = new Set<string>(SETTINGS);
  const problems: string[] = [];
  const source: Source = {};
  for (const [name, value] of Object.entries(json)) {
    if (!known.has(name)) problems.push(`${named}: ${name} is not a setting of Parley`);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      source[name] = String(value);
    else problems.push(`${named}: ${name} must be a string, a number or a boolean`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return source;
}

/**
 * Parses the settings once: the environment, over the file PARLEY_CONFIG names. Throws a `ConfigError` whose
 * problems each name the setting, its value (never a secret's) and what is allowed.
 */
export function loadConfig(environment: Source = process.env): Config {
  const file = environment.PARLEY_CONFIG ? readConfigFile(environment.PARLEY_CONFIG) : {};
  const source: Source = { ...file };
  for (const name of SETTINGS) {
    const value = environment[name];
    if (value !== undefined) source[name] = value;
  }
  const parsed = Config.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = source[name];
      const from =
        environment[name] === undefined && file[name] !== undefined
          ? ` (in ${environment.PARLEY_CONFIG})`
          : '';
      const shown =
        value === undefined || isSecret(name, value) ? name : `${name}=${JSON.stringify(value)}${from}`;
      return `${shown} ${issue.message}`;
    }),
  );
}

/** Paths in the settings are relative to the directory Parley was started from. */
export const fromCwd = (path: string): string => (isAbsolute(path) ? path : resolve(process.cwd(), path));
