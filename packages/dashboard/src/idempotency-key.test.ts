import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './idempotency-key.ts';

describe('newIdempotencyKey', () => {
  it("matches the protocol's key format and differs every time", () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('uses URL-safe characters for any bytes', () => {
    expect(newIdempotencyKey((bytes) => bytes.fill(0xff))).toBe('_____________________w');
  });
});
