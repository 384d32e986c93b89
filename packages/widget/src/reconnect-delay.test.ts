import { describe, expect, it } from 'vitest';
import { RECONNECT, reconnectDelay } from './reconnect-delay.ts';

describe('reconnectDelay', () => {
  // attempt, longest wait (random → 1), shortest wait (random → 0)
  it.each([
    [0, 500, 250],
    [1, 1_000, 500],
    [2, 2_000, 1_000],
    [3, 4_000, 2_000],
    [4, 8_000, 4_000],
    [5, 10_000, 5_000],
    [6, 10_000, 5_000],
    [50, 10_000, 5_000],
  ])('attempt %i waits between %i ms and %i ms', (attempt, longest, shortest) => {
    expect(reconnectDelay(attempt, () => 1)).toBe(longest);
    expect(reconnectDelay(attempt, () => 0)).toBe(shortest);
  });

  it('starts at 0.5 s and never waits longer than the 10 s cap', () => {
    expect(RECONNECT).toEqual({ firstMs: 500, capMs: 10_000 });
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = reconnectDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(250);
      expect(delay).toBeLessThanOrEqual(RECONNECT.capMs);
    }
  });

  it('spreads visitors out: the same attempt with different luck waits differently', () => {
    const waits = new Set([0, 0.25, 0.5, 0.75, 1].map((luck) => reconnectDelay(4, () => luck)));
    expect(waits.size).toBe(5);
  });
});
