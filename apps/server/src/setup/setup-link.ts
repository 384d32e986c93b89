import { hasStaff, newSecret, type ParleyDb, replaceSetupToken, sha256 } from '@parley/db';

/** How long a printed setup link works; a restart prints a new one anyway. */
export const SETUP_LINK_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * A production start (PARLEY_DEMO=0) creates no sign-in of its own: while the installation has no staff member, each
 * start makes a new one-time setup token, keeps only its hash (in the store, so every node knows it) and returns
 * the token to be printed as a link. The token printed by an earlier start stops working. Once setup is done,
 * nothing is made.
 */
export async function ensureSetupToken(db: ParleyDb, now = Date.now()): Promise<string | null> {
  if (await hasStaff(db)) return null;
  const token = newSecret();
  await replaceSetupToken(db, { tokenHash: sha256(token), expiresAt: now + SETUP_LINK_LIFETIME_MS, now });
  return token;
}

/** The line a start prints: the fragment keeps the token out of every access log and proxy log on the way. */
export const setupLink = (base: string, token: string): string => `${base}/setup#${token}`;

/**
 * Where a link printed outside a running server points: PARLEY_PUBLIC_URL, or else the chat server's own address
 * as the settings give it (`localhost` for a server that listens on every address), as a start prints it.
 */
export function linkBase(config: { PARLEY_PUBLIC_URL?: string | undefined; HOST: string; PORT: number }): {
  base: string;
  fromPublicUrl: boolean;
} {
  if (config.PARLEY_PUBLIC_URL) return { base: config.PARLEY_PUBLIC_URL, fromPublicUrl: true };
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST;
  return { base: `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`, fromPublicUrl: false };
}
