import { describe, expect, it } from 'vitest';
import { newId, newOrderedId } from './ids.ts';

describe('newOrderedId', () => {
  it('sorts in the order of the times it was made, across digit-length and letter boundaries', () => {
    const times = [
      0, 9, 35, 36, 1_000, 1_764_000_000_000, 1_764_000_000_001, 1_800_000_000_000, 3_000_000_000_000,
    ];
    const ids = times.map((t) => newOrderedId('msg', t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is URL-safe, prefixed and unique for the same millisecond', () => {
    const ids = Array.from({ length: 1_000 }, () => newOrderedId('msg', 1_764_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
  });
});

describe('newId', () => {
  it('carries 128 random bits after its prefix', () => {
    const ids = Array.from({ length: 1_000 }, () => newId('cnv'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^cnv_[A-Za-z0-9_-]{22}$/);
  });
});
