import { EMOJI_PALETTE } from '@parley/protocol/emoji';
import { describe, expect, it } from 'vitest';
import { paletteMove } from './emoji-palette.ts';

describe('emoji palette keys', () => {
  const count = EMOJI_PALETTE.length;

  it.each([
    ['ArrowRight', 0, 1],
    ['ArrowLeft', 5, 4],
    ['ArrowDown', 2, 10],
    ['ArrowUp', 10, 2],
    ['Home', 13, 0],
    ['End', 3, count - 1],
  ])('%s from %i moves to %i', (key, from, to) => {
    expect(paletteMove(key, from, count)).toBe(to);
  });

  it('stops at the edges instead of wrapping or leaving the grid', () => {
    expect(paletteMove('ArrowLeft', 0, count)).toBe(0);
    expect(paletteMove('ArrowUp', 3, count)).toBe(0);
    expect(paletteMove('ArrowRight', count - 1, count)).toBe(count - 1);
    expect(paletteMove('ArrowDown', count - 2, count)).toBe(count - 1);
  });

  it('leaves other keys to the browser', () => {
    expect(paletteMove('Enter', 3, count)).toBeUndefined();
    expect(paletteMove('a', 3, count)).toBeUndefined();
  });

  it('offers two dozen distinct emoji', () => {
    expect(count).toBe(24);
    expect(new Set(EMOJI_PALETTE).size).toBe(count);
  });
});
