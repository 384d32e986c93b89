import { hashPassword, newSecret, type ParleyDb } from '@parley/db';
import { countAccounts, createAccountWithOwner, DEMO_PUBLIC_KEY_PREFIX } from '@parley/db/chat';

export interface DemoCredentials {
  email: string;
  password: string;
  publicKey: string;
}

export const DEMO_OWNER_EMAIL = 'owner@example.com';

/**
 * On an installation's first start (no accounts at all), creates a demo account whose owner has a random password.
 * The password is returned to be printed once; only its scrypt hash is stored. Later starts create nothing.
 */
export async function ensureDemoAccount(db: ParleyDb, region: string): Promise<DemoCredentials | null> {
  if ((await countAccounts(db)) > 0) return null;
  const password = newSecret().slice(0, 24);
  const { publicKey } = await createAccountWithOwner(db, {
    organization: 'Demo Shop',
    region,
    publicKey: `${DEMO_PUBLIC_KEY_PREFIX}${newSecret().slice(0, 22)}`,
    owner: { email: DEMO_OWNER_EMAIL, name: 'Demo Owner', passwordHash: await hashPassword(password) },
  });
  return { email: DEMO_OWNER_EMAIL, password, publicKey };
}
