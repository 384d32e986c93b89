import { describe, expect, it } from 'vitest';
import { figureLabel, figureText } from './stats-view.ts';

describe('stats figures', () => {
  it('LOG-3: shows a suppressed figure as "fewer than N people", never a value', () => {
    expect(
      figureText({
        name: 'average_rating',
        value: null,
        suppressed: true,
        reason: 'computed over fewer than 10 people',
      }),
    ).toBe('Fewer than 10 people — not shown');
    expect(figureText({ name: 'x', value: 3, suppressed: true })).toMatch(/not shown$/);
  });

  it('labels known figures and humanizes unknown ones', () => {
    expect(figureLabel('chats_per_day')).toBe('Chats per day');
    expect(figureLabel('missed_chats')).toBe('Missed chats');
  });
});
