import { describe, expect, it } from 'vitest';
import { CATALOGUES, counted, fill } from './messages.ts';

/**
 * Words the German site uses as English does: names, codes and terms German privacy texts keep. A German value
 * equal to its English anywhere else is a translation someone forgot.
 */
const SAME_IN_GERMAN = new Set(['Cookie', 'Cookies', 'Code', 'Region', 'Version', 'Parley']);

/** Every text of a catalogue by its path (`compare.areas.cookie`, `home.whyText.1`). */
function entries(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as object).flatMap(([key, inner]) =>
    entries(inner, path === '' ? key : `${path}.${key}`),
  );
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join();

/** What is wrong with a translation of the English catalogue, one line per problem. */
function problems(englishCatalogue: unknown, translation: unknown): string[] {
  const english = new Map(entries(englishCatalogue));
  const translated = new Map(entries(translation));
  return [
    ...[...english.keys()].filter((key) => !translated.has(key)).map((key) => `missing: ${key}`),
    ...[...translated.keys()].filter((key) => !english.has(key)).map((key) => `not in English: ${key}`),
    ...[...english]
      .filter(([key, text]) => translated.get(key) === text && !SAME_IN_GERMAN.has(text))
      .map(([key]) => `untranslated: ${key}`),
    ...[...english]
      .filter(
        ([key, text]) => translated.has(key) && placeholders(text) !== placeholders(translated.get(key)!),
      )
      .map(([key]) => `placeholders: ${key}`),
  ];
}

describe('the site in German', () => {
  it('has every key of the English catalogue, each translated, with the same placeholders', () => {
    expect(problems(CATALOGUES.en, CATALOGUES.de)).toEqual([]);
  });

  it('fails on a missing key, a value left in English and a forgotten placeholder', () => {
    const broken = structuredClone(CATALOGUES.de) as { home: Record<string, unknown> };
    delete broken.home.heading;
    broken.home.lede = CATALOGUES.en.home.lede;
    broken.home.all = 'Alle Versprechen';
    expect(problems(CATALOGUES.en, broken)).toEqual([
      'missing: home.heading',
      'untranslated: home.lede',
      'placeholders: home.all',
    ]);
  });

  it('fills placeholders, keeps an unknown one visible, and counts', () => {
    expect(fill('Version {version} of {date}', { version: '1.4.0' })).toBe('Version 1.4.0 of {date}');
    expect(counted(CATALOGUES.de.compare.minorCount, 1)).toBe('1 geringfügige Änderung');
    expect(counted(CATALOGUES.de.compare.minorCount, 3)).toBe('3 geringfügige Änderungen');
  });
});
