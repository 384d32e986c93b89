import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// CK-1 and SEC-1: the session cookie holds who signed in and when, sealed with AES-256-GCM so the browser can
// neither read nor change it. Node-only; the widget never sees this file.

export interface SessionPayload {
  userId: string;
  /** Sign-in time, milliseconds since the epoch. */
  signedInAt: number;
  sessionId: string;
}

export interface SessionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** `current` seals; `current` and `previous` open, so keys can be rotated without signing everyone out. */
export interface Keyring {
  current: SessionKey;
  previous: SessionKey[];
}

export type UnsealFailure =
  | 'malformed'
  | 'unsupported_version'
  | 'unknown_key'
  | 'tampered'
  | 'invalid_payload'
  | 'expired'
  | 'from_the_future';

export type UnsealResult =
  | {
      ok: true;
      session: SessionPayload;
      /** Sealed with a previous key: the caller should set a fresh cookie sealed with the current one. */
      stale: boolean;
    }
  | { ok: false; reason: UnsealFailure };

export interface UnsealOptions {
  /** How long after sign-in a session is honoured. */
  maxAgeMs: number;
  now?: number;
}

export class KeyringError extends Error {
  readonly code = 'keyring_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Servers' clocks drift apart a little; a sign-in time slightly ahead of ours is not an attack. */
const CLOCK_SKEW_MS = 60_000;

export const generateKey = (): Buffer => randomBytes(KEY_BYTES);

function checkKey(key: SessionKey, where: string): SessionKey {
  if (!KEY_ID.test(key.id))
    throw new KeyringError(`${where}: key id must be 1-32 letters, digits, "_" or "-"`);
  if (key.key.length !== KEY_BYTES)
    throw new KeyringError(`${where}: key "${key.id}" must be ${KEY_BYTES} bytes, not ${key.key.length}`);
  return key;
}

/**
 * Reads `k2:BASE64,k1:BASE64` (the first is current) from an environment value. Errors name the entry and the
 * key id, never key material.
 */
export function parseKeyring(text: string): Keyring {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0)
    throw new KeyringError('the session keyring is empty: expected "id:base64key,..."');
  const keys = entries.map((entry, index) => {
    const where = `session key ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new KeyringError(`${where}: expected "id:base64key"`);
    const material = entry.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) throw new KeyringError(`${where}: the key is not base64`);
    return checkKey({ id: entry.slice(0, colon).trim(), key: Buffer.from(material, 'base64') }, where);
  });
  const seen = new Set<string>();
  for (const { id } of keys) {
    if (seen.has(id)) throw new KeyringError(`session key id "${id}" appears twice`);
    seen.add(id);
  }
  const [current, ...previous] = keys;
  return { current: current!, previous };
}

/** The inverse of `parseKeyring`, for writing a rotated keyring back to the environment. */
export const formatKeyring = (keyring: Keyring): string =>
  [keyring.current, ...keyring.previous].map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');

// The version and key id are authenticated too, so neither can be swapped without breaking the tag.
const additionalData = (keyId: string): Buffer => Buffer.from(`${VERSION}.${keyId}`);

/** The cookie value for a signed-in session: `v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url. */
export function sealSession(session: SessionPayload, keyring: Keyring): string {
  // Sealing something that could never be opened would sign the person out at their next request.
  if (!asPayload({ u: session.userId, t: session.signedInAt, s: session.sessionId }))
    throw new TypeError('a session needs a user id, a session id and a sign-in time in whole milliseconds');
  const { id, key } = checkKey(keyring.current, 'current session key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(id));
  const plain = JSON.stringify({ u: session.userId, t: session.signedInAt, s: session.sessionId });
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${VERSION}.${id}.${iv.toString('base64url')}.${sealed.toString('base64url')}.${tag.toString('base64url')}`;
}

/** Strict base64url: Node's decoder skips junk, which would let many strings stand for one token. */
function decode(part: string | undefined, bytes?: number): Buffer | undefined {
  if (part === undefined || !B64URL.test(part)) return undefined;
  const buffer = Buffer.from(part, 'base64url');
  if (buffer.toString('base64url') !== part) return undefined;
  return bytes === undefined || buffer.length === bytes ? buffer : undefined;
}

function readPayload(plain: string): SessionPayload | undefined {
  try {
    return asPayload(JSON.parse(plain));
  } catch {
    return undefined;
  }
}

function asPayload(data: unknown): SessionPayload | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { u, t, s } = data as Record<string, unknown>;
  if (typeof u !== 'string' || u === '' || typeof s !== 'string' || s === '') return undefined;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) return undefined;
  return { userId: u, signedInAt: t, sessionId: s };
}

/**
 * Opens a session cookie from the network. Never throws on a bad token: it says why the token was refused, so the
 * caller treats the request as signed out.
 */
export function unsealSession(
  token: string | undefined,
  keyring: Keyring,
  options: UnsealOptions,
): UnsealResult {
  const parts = (token ?? '').split('.');
  if (parts.length !== 5) return { ok: false, reason: 'malformed' };
  const [version, keyId, ivPart, sealedPart, tagPart] = parts;
  if (version !== VERSION) return { ok: false, reason: 'unsupported_version' };
  const key = [keyring.current, ...keyring.previous].find((candidate) => candidate.id === keyId);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const iv = decode(ivPart, IV_BYTES);
  const sealed = decode(sealedPart);
  const tag = decode(tagPart, TAG_BYTES);
  if (!iv || !sealed || !tag) return { ok: false, reason: 'malformed' };
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(key.id));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  const session = readPayload(plain);
  if (!session) return { ok: false, reason: 'invalid_payload' };
  const now = options.now ?? Date.now();
  if (session.signedInAt > now + CLOCK_SKEW_MS) return { ok: false, reason: 'from_the_future' };
  if (now - session.signedInAt > options.maxAgeMs) return { ok: false, reason: 'expired' };
  return { ok: true, session, stale: key !== keyring.current };
}
