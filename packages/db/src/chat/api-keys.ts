import type { ParleyDb } from '../connection.ts';
import { newSecret, sha256 } from '../ids.ts';
import { setApiKeyHash } from './accounts.ts';

/** API keys carry a prefix so that a leaked one is recognisable (and secret scanners can find it). */
export const API_KEY_PREFIX = 'sk_';

/**
 * Issues a new API key for an account, replacing the old one at once. The key is returned to be shown once; only
 * its SHA-256 is stored. Returns null if the account is closed or unknown.
 */
export async function rotateApiKey(db: ParleyDb, accountId: string): Promise<string | null> {
  const apiKey = `${API_KEY_PREFIX}${newSecret()}`;
  return (await setApiKeyHash(db, accountId, sha256(apiKey))) ? apiKey : null;
}
