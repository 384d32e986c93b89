import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * SEC-1: seals a second factor's shared secret with AES-256-GCM under a key of the installation's secrets, so that
 * a copy of the database alone cannot produce codes. The person it belongs to is bound in as associated data: a
 * sealed secret moved to another person's row does not open. The format names its key, so keys can be rotated.
 */
export interface SecretBoxKey {
  id: string;
  key: Buffer;
}

const VERSION = 'v1';

export function sealSecret(key: SecretBoxKey, owner: string, secret: string): string {
  if (key.key.length !== 32) throw new RangeError('AES-256-GCM needs a 32-byte key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(owner));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const parts = [iv, sealed, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return [VERSION, key.id, ...parts].join('.');
}

/** The secret, or null if it was sealed for someone else, with a key not given, or altered. */
export function openSecret(keys: readonly SecretBoxKey[], owner: string, sealed: string): string | null {
  const [version, keyId, iv, data, tag] = sealed.split('.');
  const key = keys.find((k) => k.id === keyId);
  if (version !== VERSION || !key || !iv || data === undefined || !tag) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(owner));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
