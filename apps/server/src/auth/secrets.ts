import { randomBytes } from 'node:crypto';
import { generateKey, type Keyring } from '@parley/cookies';
import type { ParleyDb, SecondFactorKeys } from '@parley/db';
import { initInstallationSecrets } from '@parley/db/chat';

/** The installation's own keys. */
export interface Secrets {
  /** Seals the session cookie (CK-1). */
  keyring: Keyring;
  /** Derives each session's CSRF token, so the token can be handed out again without being stored. */
  csrfKey: Buffer;
  /** Signs one-click unsubscribe links (COM-2). */
  unsubscribeKey: Buffer;
  /** Signs the chat id of a visitor under a privacy signal, for whom the server keeps no chat id (SIG-1). */
  chatIdKey: Buffer;
  /** Keys the hash a recipient's address is counted under by the mail limits, so the address itself is not kept. */
  mailLimitKey: Buffer;
  /** SEC-1: seal second factors' TOTP secrets (AES-256-GCM); the first seals, all open. */
  secondFactorKeys: SecondFactorKeys;
  /** Signs the short-lived links files are served by and the tokens visitors upload files with. */
  fileKey: Buffer;
}

async function storedKey(db: ParleyDb, name: string): Promise<Buffer> {
  const [stored] = await initInstallationSecrets(db, name, [
    { keyId: 'k1', value: randomBytes(32).toString('base64'), createdAt: Date.now() },
  ]);
  return Buffer.from(stored!.value, 'base64');
}

/**
 * The session keyring from PARLEY_SESSION_KEYS if set; otherwise the one generated on first start and kept in
 * `installation_secrets` (newest key current, older keys still open cookies). The other keys always live there.
 */
export async function loadSecrets(db: ParleyDb, fromEnv?: Keyring): Promise<Secrets> {
  let keyring = fromEnv;
  if (!keyring) {
    const stored = await initInstallationSecrets(db, 'session_key', [
      { keyId: 'k1', value: generateKey().toString('base64'), createdAt: Date.now() },
    ]);
    const keys = stored.map((s) => ({ id: s.keyId, key: Buffer.from(s.value, 'base64') })).reverse();
    keyring = { current: keys[0]!, previous: keys.slice(1) };
  }
  return {
    keyring,
    csrfKey: await storedKey(db, 'csrf_key'),
    unsubscribeKey: await storedKey(db, 'unsubscribe_key'),
    chatIdKey: await storedKey(db, 'chat_id_key'),
    mailLimitKey: await storedKey(db, 'mail_limit_key'),
    secondFactorKeys: [{ id: 'k1', key: await storedKey(db, 'second_factor_key') }],
    fileKey: await storedKey(db, 'file_key'),
  };
}

/** Fresh keys held only in memory, for tests. */
export const ephemeralSecrets = (): Secrets => ({
  keyring: { current: { id: 'test', key: generateKey() }, previous: [] },
  csrfKey: randomBytes(32),
  unsubscribeKey: randomBytes(32),
  chatIdKey: randomBytes(32),
  mailLimitKey: randomBytes(32),
  secondFactorKeys: [{ id: 'test', key: randomBytes(32) }],
  fileKey: randomBytes(32),
});
