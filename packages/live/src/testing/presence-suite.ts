import { describe, expect, it } from 'vitest';
import { PRESENCE_GRACE_MS, type Presence, type PresenceChange, type PresenceOptions } from '../presence.ts';
import { ManualClock } from './manual-clock.ts';

/** A presence under test, and what waits until the work its clock's tasks started is done. */
export interface PresenceUnderTest {
  presence: Presence;
  /** Resolves once every lapse the clock has made due has been found and reported. */
  settle(): Promise<void>;
}

export type PresenceFactory = (options: PresenceOptions) => Promise<PresenceUnderTest>;

/** The cases every presence must pass, each with a clock the test moves. */
export function presenceSuite(name: string, make: PresenceFactory): void {
  const setup = async () => {
    const clock = new ManualClock(1_000_000);
    const lapses: Array<{ accountId: string; change: PresenceChange }> = [];
    const made = await make({ clock, onLapse: (accountId, change) => lapses.push({ accountId, change }) });
    const advance = async (ms: number) => {
      clock.advance(ms);
      await made.settle();
    };
    return { p: made.presence, advance, lapses };
  };

  describe(`presence (${name})`, () => {
    it('keeps an agent whose last socket dropped for the grace period, then reports the lapse', async () => {
      const { p, advance, lapses } = await setup();
      await p.connect('acc', 'ana', true);
      expect(await p.disconnect('acc', 'ana', { grace: true })).toEqual({ before: 1, after: 1 });
      expect(await p.isConnected('acc', 'ana')).toBe(false);
      await advance(PRESENCE_GRACE_MS - 1);
      expect(await p.count('acc')).toBe(1);
      await advance(1);
      expect(await p.count('acc')).toBe(0);
      expect(lapses).toEqual([{ accountId: 'acc', change: { before: 1, after: 0 } }]);
      await p.close();
    });

    it('a reconnect within the grace period cancels the lapse', async () => {
      const { p, advance, lapses } = await setup();
      await p.connect('acc', 'ana', true);
      await p.disconnect('acc', 'ana', { grace: true });
      expect(await p.connect('acc', 'ana', true)).toEqual({ before: 1, after: 1 });
      await advance(2 * PRESENCE_GRACE_MS);
      expect(await p.count('acc')).toBe(1);
      expect(lapses).toEqual([]);
      await p.close();
    });

    it('a close without grace (signed out) takes the agent away at once', async () => {
      const { p, advance, lapses } = await setup();
      await p.connect('acc', 'ana', true);
      expect(await p.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 0 });
      await advance(PRESENCE_GRACE_MS);
      expect(lapses).toEqual([]);
      await p.close();
    });

    it('an agent with another socket open stays, and one who chose "away" gets no grace', async () => {
      const { p } = await setup();
      await p.connect('acc', 'ana', true);
      await p.connect('acc', 'ana', true);
      expect(await p.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 1 });
      expect(await p.isConnected('acc', 'ana')).toBe(true);
      await p.connect('acc', 'bo', false);
      await p.disconnect('acc', 'bo', { grace: true });
      expect(await p.isOnline('acc', 'bo')).toBe(false);
      await p.close();
    });

    it('"away" and back: the count follows the status the agent chose, and accounts stay apart', async () => {
      const { p } = await setup();
      await p.connect('acc', 'ana', true);
      await p.connect('other', 'olga', true);
      expect(await p.setOnline('acc', 'ana', false)).toEqual({ before: 1, after: 0 });
      expect(await p.isOnline('acc', 'ana')).toBe(false);
      expect(await p.isConnected('acc', 'ana')).toBe(true);
      expect(await p.setOnline('acc', 'ana', true)).toEqual({ before: 0, after: 1 });
      expect(await p.count('other')).toBe(1);
      expect(await p.remove('acc', 'ana')).toEqual({ before: 1, after: 0 });
      expect(await p.count('other')).toBe(1);
      await p.close();
    });

    it('after a restart, an expected agent counts until the grace period ends unless they come back', async () => {
      const { p, advance, lapses } = await setup();
      expect(await p.expectBack('acc', 'ana')).toEqual({ before: 0, after: 1 });
      expect(await p.expectBack('acc', 'bo')).toEqual({ before: 1, after: 2 });
      await p.connect('acc', 'ana', true);
      await advance(PRESENCE_GRACE_MS);
      expect(await p.count('acc')).toBe(1);
      expect(lapses).toEqual([{ accountId: 'acc', change: { before: 2, after: 1 } }]);
      await p.close();
    });
  });
}
