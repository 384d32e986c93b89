import { describe, expect, it } from 'vitest';
import { darker, isColor, luminance, NEAR_BLACK, readableOn } from './theme.ts';

const contrast = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

describe('the text colour on a website’s colour', () => {
  it.each([
    ['#2a5d9f', '#fff'],
    ['#000000', '#fff'],
    ['#b42318', '#fff'],
    ['#ffffff', NEAR_BLACK],
    ['#ffd400', NEAR_BLACK],
    ['#7fdbca', NEAR_BLACK],
    ['#00ff00', NEAR_BLACK],
  ])('on %s it is %s', (background, text) => {
    expect(readableOn(background)).toBe(text);
  });

  it('is never much less readable than the better of white and near-black, over the whole colour cube', () => {
    let worst = 1;
    for (let r = 0; r < 256; r += 15)
      for (let g = 0; g < 256; g += 15)
        for (let b = 0; b < 256; b += 15) {
          const background = `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
          const best = Math.max(contrast(background, '#ffffff'), contrast(background, NEAR_BLACK));
          const chosen = readableOn(background);
          worst = Math.min(worst, contrast(background, chosen === '#fff' ? '#ffffff' : chosen) / best);
          // Whichever it picks reads at least as well as large text needs (WCAG 3:1).
          expect(contrast(background, chosen === '#fff' ? '#ffffff' : chosen), background).toBeGreaterThan(3);
        }
    expect(worst).toBeGreaterThan(0.95);
  });

  it('accepts only #rrggbb', () => {
    expect(isColor('#0a0B0c')).toBe(true);
    for (const bad of ['#fff', 'red', '#12345g', '#1234567', 'x#123456', undefined, 123456])
      expect(isColor(bad), String(bad)).toBe(false);
  });

  it('darkens a colour for hover', () => {
    expect(darker('#ffffff', 0.5)).toBe('#808080');
    expect(darker('#2a5d9f', 1)).toBe('#2a5d9f');
  });
});
