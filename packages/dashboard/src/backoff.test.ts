import { describe, expect, it } from 'vitest';
import { BACKOFF, reconnectDelay } from './backoff.ts';

describe('reconnectDelay', () => {
  it('doubles from one second and stops at thirty, jittered within the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => reconnectDelay(attempt, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect([0, 1, 5].map((attempt) => reconnectDelay(attempt, () => 0))).toEqual([500, 1000, 15000]);
  });

  it('never exceeds the maximum', () => {
    for (let attempt = 0; attempt < 50; attempt += 1)
      expect(reconnectDelay(attempt)).toBeLessThanOrEqual(BACKOFF.maxMs);
  });
});
