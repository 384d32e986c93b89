import { catalogueProblems } from '@parley/policy/testing';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, counted, fill } from './messages.ts';

/**
 * Words the German site uses as English does: names, codes and terms German privacy texts keep. A German value
 * equal to its English anywhere else is a translation someone forgot.
 */
const SAME_IN_GERMAN = new Set([
  'Cookie',
  'Cookies',
  'Code',
  'Region',
  'Version',
  'Version {version}',
  'Parley',
]);

describe('the site in German', () => {
  it('has every key of the English catalogue, each translated, with the same placeholders', () => {
    expect(catalogueProblems(CATALOGUES.en, CATALOGUES.de, SAME_IN_GERMAN)).toEqual([]);
  });

  it('fails on a missing key, a value left in English and a forgotten placeholder', () => {
    const broken = structuredClone(CATALOGUES.de) as { home: Record<string, unknown> };
    delete broken.home.heading;
    broken.home.lede = CATALOGUES.en.home.lede;
    broken.home.all = 'Alle Versprechen';
    expect(catalogueProblems(CATALOGUES.en, broken, SAME_IN_GERMAN)).toEqual([
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
