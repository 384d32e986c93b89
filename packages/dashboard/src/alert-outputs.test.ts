import { describe, expect, it } from 'vitest';
import { badgeIcon, badgeTitle } from './alert-outputs.ts';

const svgOf = (url: string) => decodeURIComponent(url.replace('data:image/svg+xml,', ''));

describe('the tab badge', () => {
  it.each([
    [0, 'Parley'],
    [1, '(1) Parley'],
    [12, '(12) Parley'],
  ])('titles a count of %i as %s', (count, title) => {
    expect(badgeTitle(count)).toBe(title);
  });

  it('draws the count in the icon, and 9+ beyond nine', () => {
    expect(badgeIcon(3).startsWith('data:image/svg+xml,')).toBe(true);
    expect(svgOf(badgeIcon(3))).toContain('>3</text>');
    expect(svgOf(badgeIcon(10))).toContain('>9+</text>');
    expect(svgOf(badgeIcon(10))).toContain('font-size="15"');
  });
});
