import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingSignal } from './typing-signal.ts';

describe('createTypingSignal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends true on the first keystroke only, and false after a pause', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((typing) => sent.push(typing), 3000);
    signal.input();
    vi.advanceTimersByTime(1000);
    signal.input();
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, false]);
  });

  it('sends false at once on stop, and nothing when not typing', () => {
    const sent: boolean[] = [];
    const signal = createTypingSignal((typing) => sent.push(typing), 3000);
    signal.stop();
    expect(sent).toEqual([]);
    signal.input();
    signal.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
    signal.input();
    expect(sent).toEqual([true, false, true]);
  });
});
