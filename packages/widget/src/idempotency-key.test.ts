import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './idempotency-key.ts';

describe('newIdempotencyKey', () => {
  it('makes keys the protocol accepts: 8 to 64 of [A-Za-z0-9_-]', () => {
    for (let i = 0; i < 200; i++) expect(newIdempotencyKey()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('does not repeat itself', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(1000);
  });

  it('maps every byte onto the 64-symbol alphabet, both ends included', () => {
    expect(newIdempotencyKey((bytes) => bytes.fill(0))).toBe('A'.repeat(22));
    expect(newIdempotencyKey((bytes) => bytes.fill(255))).toBe('_'.repeat(22));
  });
});
