import { z } from 'zod';

/** The console's settings, read from the environment once; nothing else reads `process.env`. */
export const Env = z.object({
  ADMIN_PORT: z.coerce.number().int().min(1).max(65_535).default(8788),
  /** Loopback by default: the console is for the people who run the installation, not the internet. */
  ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('./data/parley.db'),
  /** `id:base64,…`, first current; without it a key is generated and sessions end when the console restarts. */
  PARLEY_SESSION_KEYS: z.string().min(1).optional(),
  PARLEY_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  PARLEY_OPERATOR_NAME: z.string().min(1).optional(),
  PARLEY_PRIVACY_CONTACT: z.string().min(1).optional(),
  PARLEY_PUBLIC_URL: z.url().optional(),
  PARLEY_MAIL_DIR: z.string().min(1).default('./data/mail'),
});
export type Env = z.infer<typeof Env>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`The admin console's environment is not valid:\n${problems}`);
  }
  return parsed.data;
}
