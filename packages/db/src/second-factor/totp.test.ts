import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secret-box.ts';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
} from './totp.ts';

/** RFC 6238 appendix B: the seeds are the ASCII digits repeated to the hash's key length. */
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: Array<[seconds: number, sha1: string, sha256: string, sha512: string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('SEC-1: TOTP (RFC 6238)', () => {
  it.each(VECTORS)('SEC-1: the RFC 6238 test vector at T=%i', (seconds, sha1, sha256, sha512) => {
    const step = totpStep(seconds * 1000);
    expect(hotp(SEEDS.sha1, step, 8, 'sha1')).toBe(sha1);
    expect(hotp(SEEDS.sha256, step, 8, 'sha256')).toBe(sha256);
    expect(hotp(SEEDS.sha512, step, 8, 'sha512')).toBe(sha512);
    // The six digits an app shows are the last six of the same number.
    expect(totpCode(base32Encode(SEEDS.sha1), seconds * 1000)).toBe(sha1.slice(2));
  });

  it('SEC-1: base32 round-trips, and reads a secret typed in groups and lower case', () => {
    const bytes = randomBytes(20);
    const text = base32Encode(bytes);
    expect(text).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(text)).toEqual(bytes);
    expect(base32Decode(text.toLowerCase().replace(/(.{4})/g, '$1 '))).toEqual(bytes);
    expect(base32Encode(Buffer.from('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(() => base32Decode('not base32!')).toThrow(RangeError);
  });

  it('SEC-1: a code matches within one step either side, and names its step', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    expect(matchTotp(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
    expect(matchTotp(secret, '12345', now)).toBeNull();
  });

  it('SEC-1: the otpauth URI names the issuer, the person and the parameters apps expect', () => {
    const uri = otpauthUri({ issuer: 'Parley', label: 'adam@acme.test', secret: 'JBSWY3DPEHPK3PXP' });
    expect(uri).toBe(
      'otpauth://totp/Parley%3Aadam%40acme.test?secret=JBSWY3DPEHPK3PXP&issuer=Parley&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('SEC-1: the sealed TOTP secret', () => {
  const key = { id: 'k1', key: randomBytes(32) };

  it('SEC-1: opens only with its key, for its own person, unaltered; the sealed text does not hold the secret', () => {
    const secret = newTotpSecret();
    const sealed = sealSecret(key, 'agent:agt_a', secret);
    expect(sealed).not.toContain(secret);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(openSecret([key], 'agent:agt_a', sealed)).toBe(secret);
    expect(openSecret([key], 'agent:agt_b', sealed)).toBeNull();
    expect(openSecret([{ id: 'k1', key: randomBytes(32) }], 'agent:agt_a', sealed)).toBeNull();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('AAAAAAAA').toString('base64url');
    expect(openSecret([key], 'agent:agt_a', parts.join('.'))).toBeNull();
    // Each seal uses a fresh nonce.
    expect(sealSecret(key, 'agent:agt_a', secret)).not.toBe(sealed);
  });
});
