import { describe, expect, it } from 'vitest';
import type { WindowCounter } from '../window-counter.ts';

/** Makes a counter whose clock is the function given; the cases move it. */
export type WindowCounterFactory = (now: () => number) => Promise<WindowCounter> | WindowCounter;

/** The cases every window counter must pass, so that one shared by several nodes counts as the in-process one. */
export function windowCounterSuite(name: string, make: WindowCounterFactory): void {
  const MINUTE = 60_000;
  const setup = async () => {
    // The start of a window, so that the cases move within it and past it exactly.
    const clock = { now: 1_000 * MINUTE };
    return { counter: await make(() => clock.now), clock };
  };

  describe(`SEC-1: the window counter (${name})`, () => {
    it('SEC-1: allows the limit in a window, counted as events arrive, and again in the next window', async () => {
      const { counter, clock } = await setup();
      const verdicts = await Promise.all(Array.from({ length: 5 }, () => counter.take('acc', 3, MINUTE)));
      expect(verdicts.filter(Boolean)).toHaveLength(3);
      clock.now += MINUTE - 1;
      expect(await counter.take('acc', 3, MINUTE)).toBe(false);
      clock.now += 1;
      expect(await counter.take('acc', 3, MINUTE)).toBe(true);
    });

    it('SEC-1: counts each key apart', async () => {
      const { counter } = await setup();
      expect(await counter.take('one', 1, MINUTE)).toBe(true);
      expect(await counter.take('one', 1, MINUTE)).toBe(false);
      expect(await counter.take('two', 1, MINUTE)).toBe(true);
    });

    it('SEC-1: refuses a limit or window that would let nothing through', async () => {
      const { counter } = await setup();
      await expect(counter.take('acc', 0, MINUTE)).rejects.toThrow(RangeError);
      await expect(counter.take('acc', 1, 0)).rejects.toThrow(RangeError);
    });
  });
}
