import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatKeyring,
  generateKey,
  type Keyring,
  KeyringError,
  parseKeyring,
  type SessionPayload,
  sealSession,
  unsealSession,
} from './session-cookie.ts';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 29, 12);
const k1 = { id: 'k1', key: generateKey() };
const k2 = { id: 'k2', key: generateKey() };
const ring: Keyring = { current: k1, previous: [] };
const session: SessionPayload = { userId: 'user-42', signedInAt: NOW - HOUR, sessionId: 'sess-7' };
const open = (token: string | undefined, keyring: Keyring = ring, maxAgeMs = 12 * HOUR) =>
  unsealSession(token, keyring, { maxAgeMs, now: NOW });

/** Changes one byte inside a base64url part and re-encodes it canonically, as an attacker would. */
const flip = (token: string, part: number): string => {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
};

/** Seals arbitrary plaintext in the token format, to reach the payload checks behind a valid tag. */
const sealRaw = (plain: string, key = k1): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(`v1.${key.id}`));
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', key.id, iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
};

describe('sealSession / unsealSession', () => {
  it('CK-1: a sealed session opens to the same user id, sign-in time and session id', () => {
    expect(open(sealSession(session, ring))).toEqual({ ok: true, session, stale: false });
  });

  it('CK-1: the token is v1.<keyId>.<iv>.<ciphertext>.<tag> and does not show what it holds', () => {
    const token = sealSession(session, ring);
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    for (const secret of [
      'user-42',
      'sess-7',
      String(session.signedInAt),
      Buffer.from('user-42').toString('base64'),
    ])
      expect(token).not.toContain(secret);
  });

  it('SEC-1: each seal uses a fresh IV, so the same session never gives the same token', () => {
    expect(sealSession(session, ring)).not.toBe(sealSession(session, ring));
  });

  it.each([
    ['the IV', 2],
    ['the ciphertext', 3],
    ['the tag', 4],
  ])('CK-1: a token with %s tampered with is rejected', (_part, part) => {
    expect(open(flip(sealSession(session, ring), part))).toEqual({ ok: false, reason: 'tampered' });
  });

  it('CK-1: a token relabelled with another known key id is rejected', () => {
    const relabelled = sealSession(session, ring).replace(/^v1\.k1\./, 'v1.k2.');
    expect(open(relabelled, { current: k1, previous: [k2] })).toEqual({ ok: false, reason: 'tampered' });
  });

  it('CK-1: a token sealed with a different key under the same id is rejected', () => {
    const impostor = sealSession(session, { current: { id: 'k1', key: generateKey() }, previous: [] });
    expect(open(impostor)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('key rotation: a token sealed with the previous key still opens; one with an unknown key does not', () => {
    const oldToken = sealSession(session, { current: k1, previous: [] });
    expect(open(oldToken, { current: k2, previous: [k1] })).toEqual({ ok: true, session, stale: true });
    expect(open(oldToken, { current: k2, previous: [] })).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('key rotation: a token sealed with the current key is not stale', () => {
    const rotated: Keyring = { current: k2, previous: [k1] };
    expect(open(sealSession(session, rotated), rotated)).toMatchObject({ ok: true, stale: false });
  });

  it('rejects a token of another version', () => {
    const token = sealSession(session, ring).replace(/^v1\./, 'v2.');
    expect(open(token)).toEqual({ ok: false, reason: 'unsupported_version' });
  });

  it.each([
    ['exactly at the maximum age', NOW - 12 * HOUR, { ok: true }],
    ['one millisecond past the maximum age', NOW - 12 * HOUR - 1, { ok: false, reason: 'expired' }],
    ['signed in within clock drift ahead of us', NOW + 30_000, { ok: true }],
    ['signed in well in the future', NOW + HOUR, { ok: false, reason: 'from_the_future' }],
  ])('CK-1: a session %s', (_title, signedInAt, expected) => {
    expect(open(sealSession({ ...session, signedInAt }, ring))).toMatchObject(expected);
  });

  it('a truncated tag is rejected rather than checked on fewer bits', () => {
    const parts = sealSession(session, ring).split('.');
    parts[4] = Buffer.from(parts[4]!, 'base64url').subarray(0, 12).toString('base64url');
    expect(open(parts.join('.'))).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each<[string, string | undefined]>([
    ['no cookie', undefined],
    ['an empty cookie', ''],
    ['one part', 'v1'],
    ['six parts', 'v1.k1.a.b.c.d'],
    ['non-base64 parts', 'v1.k1.!!!!.????.****'],
    ['empty parts', 'v1.k1...'],
    ['a short IV', 'v1.k1.AAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('CK-1: %s is refused without throwing', (_title, token) => {
    expect(open(token)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a base64url part that is not written the canonical way', () => {
    const parts = sealSession(session, ring).split('.');
    const tag = parts[4]!;
    // The last of 22 characters carries 2 spare bits; setting one gives the same bytes from a different string.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    parts[4] = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1)!) ^ 1];
    expect(open(parts.join('.'))).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['not JSON', 'user-42'],
    ['JSON but not an object', '"user-42"'],
    ['a missing session id', JSON.stringify({ u: 'user-42', t: NOW })],
    ['a fractional time', JSON.stringify({ u: 'user-42', t: 1.5, s: 's' })],
    ['an empty user id', JSON.stringify({ u: '', t: NOW, s: 's' })],
  ])('a correctly sealed payload that is %s is refused', (_title, plain) => {
    expect(open(sealRaw(plain))).toEqual({ ok: false, reason: 'invalid_payload' });
  });

  it('sealRaw in these tests matches the real format', () => {
    expect(open(sealRaw(JSON.stringify({ u: 'user-42', t: NOW - HOUR, s: 'sess-7' })))).toMatchObject({
      ok: true,
      session,
    });
  });

  it.each<[string, SessionPayload]>([
    ['an empty user id', { ...session, userId: '' }],
    ['an empty session id', { ...session, sessionId: '' }],
    ['a non-integer time', { ...session, signedInAt: Number.NaN }],
  ])('refuses to seal a session with %s', (_title, bad) => {
    expect(() => sealSession(bad, ring)).toThrow(TypeError);
  });
});

describe('parseKeyring', () => {
  const b64 = (key: Buffer) => key.toString('base64');

  it('reads "k2:KEY,k1:KEY" with the first key current', () => {
    const keyring = parseKeyring(`k2:${b64(k2.key)},k1:${b64(k1.key)}`);
    expect(keyring.current).toEqual(k2);
    expect(keyring.previous).toEqual([k1]);
  });

  it('tolerates spaces, a trailing comma and base64url keys', () => {
    const keyring = parseKeyring(` k2 : ${k2.key.toString('base64url')} , k1:${b64(k1.key)} ,`);
    expect(keyring).toEqual({ current: k2, previous: [k1] });
  });

  it('round-trips through formatKeyring', () => {
    const keyring: Keyring = { current: k2, previous: [k1] };
    expect(parseKeyring(formatKeyring(keyring))).toEqual(keyring);
  });

  const short = randomBytes(16).toString('base64');
  it.each([
    ['an empty value', '', /empty/],
    ['only commas', ' , ,', /empty/],
    ['an entry without an id', `${b64(k1.key)}`, /session key 1: expected "id:base64key"/],
    ['a short key', `k1:${short}`, /session key 1: key "k1" must be 32 bytes, not 16/],
    ['a key that is not base64', 'k1:not*base64', /session key 1: the key is not base64/],
    ['a bad key id', `k.1:${b64(k1.key)}`, /session key 1: key id/],
    ['an empty key id', `:${b64(k1.key)}`, /session key 1: key id/],
    ['a repeated key id', `k1:${b64(k1.key)},k1:${b64(k2.key)}`, /"k1" appears twice/],
    ['a bad second entry', `k1:${b64(k1.key)},k2:${short}`, /session key 2/],
  ])('explains %s, without showing key material', (_title, text, message) => {
    let error: unknown;
    try {
      parseKeyring(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyringError);
    expect(error).toMatchObject({ code: 'keyring_invalid' });
    expect((error as Error).message).toMatch(message);
    for (const material of [short, b64(k1.key), b64(k2.key)])
      expect((error as Error).message).not.toContain(material);
  });
});

describe('generateKey', () => {
  it('gives 32 random bytes, fit for AES-256', () => {
    const [a, b] = [generateKey(), generateKey()];
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });
});
