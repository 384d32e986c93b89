import { isAbsolute, resolve } from 'node:path';
import { type Keyring, parseKeyring } from '@parley/cookies';
import { parleyPolicy, type RegionCode } from '@parley/policy';
import { z } from 'zod';

// The one place that reads process.env. Everything else receives the parsed `Env`.

/** An unset variable and an empty one mean the same: use the default. */
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

const PORT_RULE = 'must be a port number from 0 to 65535 (0: any free port)';
const Port = z.coerce
  .number({ message: PORT_RULE })
  .int({ message: PORT_RULE })
  .min(0, { message: PORT_RULE })
  .max(65535, { message: PORT_RULE });

export const Env = z.object({
  PORT: optional(Port).default(8787),
  HOST: optional(z.string().min(1)).default('127.0.0.1'),
  DATABASE_PATH: optional(z.string().min(1)).default('./data/parley.db'),
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
  /** The From address of Parley's mail. */
  PARLEY_MAIL_FROM: optional(z.string().trim().min(3).max(200)),
  /** smtp:// or smtps:// URL of the relay (the email-delivery processor). Unset: mail is written to files. */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })),
  PARLEY_MAIL_DIR: optional(z.string().min(1)).default('./data/mail'),
  /** The internal admin console: its own listener, on loopback unless told otherwise. `ADMIN_PORT=off` disables it. */
  ADMIN_HOST: optional(z.string().min(1)).default('127.0.0.1'),
  ADMIN_PORT: optional(
    z.union([z.literal('off'), Port], { message: `${PORT_RULE}, or off to turn the console off` }),
  ).default(8788),
});
export type Env = z.infer<typeof Env>;

/** Settings whose value is a secret: a start-up error names them but never prints what they hold. */
const SECRET_SETTINGS = new Set(['PARLEY_SESSION_KEYS', 'SMTP_URL']);

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'EnvError';
  }
}

/**
 * Parses the environment once. Each problem names the variable, the value it holds (unless it is a secret) and what
 * is allowed, so that a bad setting stops start-up with one line an operator can act on.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = Env.safeParse(source);
  if (!parsed.success)
    throw new EnvError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = source[name];
        const shown =
          value === undefined || SECRET_SETTINGS.has(name) ? name : `${name}=${JSON.stringify(value)}`;
        return `${shown} ${issue.message}`;
      }),
    );
  return parsed.data;
}

/** Paths in the environment are relative to the directory the server was started from. */
export const fromCwd = (path: string): string => (isAbsolute(path) ? path : resolve(process.cwd(), path));
