import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.ts';
import { PRESENCE_GRACE_MS, Presence, type PresenceChange } from './presence.ts';

function presence() {
  const clock = new ManualClock(0);
  const lapses: Array<{ accountId: string; change: PresenceChange }> = [];
  const p = new Presence({ clock, onLapse: (accountId, change) => lapses.push({ accountId, change }) });
  return { p, clock, lapses };
}

describe('Presence', () => {
  it('keeps an agent whose last socket dropped for the grace period, then reports the lapse', () => {
    const { p, clock, lapses } = presence();
    p.connect('acc', 'ana', true);
    expect(p.disconnect('acc', 'ana', { grace: true })).toEqual({ before: 1, after: 1 });
    expect(p.isConnected('acc', 'ana')).toBe(false);
    clock.advance(PRESENCE_GRACE_MS - 1);
    expect(p.count('acc')).toBe(1);
    clock.advance(1);
    expect(p.count('acc')).toBe(0);
    expect(lapses).toEqual([{ accountId: 'acc', change: { before: 1, after: 0 } }]);
  });

  it('a reconnect within the grace period cancels the lapse', () => {
    const { p, clock, lapses } = presence();
    p.connect('acc', 'ana', true);
    p.disconnect('acc', 'ana', { grace: true });
    expect(p.connect('acc', 'ana', true)).toEqual({ before: 1, after: 1 });
    clock.advance(2 * PRESENCE_GRACE_MS);
    expect(p.count('acc')).toBe(1);
    expect(lapses).toEqual([]);
  });

  it('a close without grace (signed out) takes the agent away at once', () => {
    const { p, clock, lapses } = presence();
    p.connect('acc', 'ana', true);
    expect(p.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 0 });
    clock.advance(PRESENCE_GRACE_MS);
    expect(lapses).toEqual([]);
  });

  it('an agent with another socket open stays, and one who chose "away" gets no grace', () => {
    const { p } = presence();
    p.connect('acc', 'ana', true);
    p.connect('acc', 'ana', true);
    expect(p.disconnect('acc', 'ana', { grace: false })).toEqual({ before: 1, after: 1 });
    expect(p.isConnected('acc', 'ana')).toBe(true);
    p.connect('acc', 'bo', false);
    p.disconnect('acc', 'bo', { grace: true });
    expect(p.isOnline('acc', 'bo')).toBe(false);
  });

  it('after a restart, an expected agent counts until the grace period ends unless they come back', () => {
    const { p, clock, lapses } = presence();
    expect(p.expectBack('acc', 'ana')).toEqual({ before: 0, after: 1 });
    expect(p.expectBack('acc', 'bo')).toEqual({ before: 1, after: 2 });
    p.connect('acc', 'ana', true);
    clock.advance(PRESENCE_GRACE_MS);
    expect(p.count('acc')).toBe(1);
    expect(lapses).toEqual([{ accountId: 'acc', change: { before: 2, after: 1 } }]);
  });
});
