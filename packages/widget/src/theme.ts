// A website's colour on the launcher and the panel, with text that stays readable on it: white or near-black,
// whichever contrasts more (WCAG relative luminance). Used by both bundles, so it stays small.

/** The default colour, when a website has none (the plain `/widget.js` tag). */
export const DEFAULT_COLOR = '#2a5d9f';
export const NEAR_BLACK = '#111111';

/** WCAG relative luminance of `#rrggbb`, 0 for black to 1 for white. */
export function luminance(hex: string): number {
  let sum = 0;
  for (const [at, weight] of [
    [1, 0.2126],
    [3, 0.7152],
    [5, 0.0722],
  ] as const) {
    const value = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    sum += weight * (value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4);
  }
  return sum;
}

/**
 * The text colour to put on `background` (`#rrggbb`): white, or near-black where that contrasts more. White wins
 * while 1.05 / (L + 0.05) ≥ (L + 0.05) / (L(#111) + 0.05), that is while L ≤ 0.1916 (37738 on the 0–255 scale
 * below). The launcher must stay tiny, so the sRGB curve is taken as a power of 2.2: near the threshold, where the
 * two contrasts are all but equal, it may pick the other one (theme.test.ts bounds what that can cost).
 */
export function readableOn(background: string): string {
  const rgb = Number.parseInt(background.slice(1), 16);
  return 0.2126 * (rgb >> 16) ** 2.2 + 0.7152 * ((rgb >> 8) & 255) ** 2.2 + 0.0722 * (rgb & 255) ** 2.2 <=
    37738
    ? '#fff'
    : NEAR_BLACK;
}

/** Settings come from the server; a colour is checked anyway, because it is written into a style sheet. */
export const isColor = (value: unknown): value is string => /^#[0-9a-f]{6}$/i.test(String(value));

/** `color` (`#rrggbb`) darkened by `factor` (0.9 is 10 % darker), for hover states. */
export function darker(color: string, factor: number): string {
  let result = '#';
  for (const at of [1, 3, 5])
    result += Math.round(Number.parseInt(color.slice(at, at + 2), 16) * factor)
      .toString(16)
      .padStart(2, '0');
  return result;
}
