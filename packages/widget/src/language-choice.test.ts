import { describe, expect, it } from 'vitest';
import { isLang, LANGUAGES, pickLanguage } from './language-choice.ts';

describe('pickLanguage', () => {
  it.each([
    // The browser's languages come first, in its order; the page's lang after them.
    [['de', 'en'], ['de-DE', 'en'], 'de'],
    [['en', 'de'], ['fr-FR', 'de-AT', 'en'], 'de'],
    [['en', 'pl'], ['pl'], 'pl'],
    [['pt', 'es'], ['pt-BR'], 'pt'],
    [['nl', 'fr'], ['NL_be'], 'nl'],
    // Nothing the website offers: its first language.
    [['fr', 'de'], ['ja', 'ko'], 'fr'],
    [['it'], [], 'it'],
    // Without a website (the plain tag) all eight are offered, and the page's lang still counts.
    [LANGUAGES, ['ja', 'de'], 'de'],
    [LANGUAGES, [undefined, null, ''], 'en'],
    // "plt" (Malagasy) is not Polish.
    [LANGUAGES, ['plt', 'es'], 'es'],
  ] as const)('offered %j, preferred %j → %s', (offered, preferred, chosen) => {
    expect(pickLanguage([...offered], [...preferred])).toBe(chosen);
  });

  it('falls back to English when a website offers nothing', () => {
    expect(pickLanguage([], ['de'])).toBe('en');
  });

  it('knows the eight languages and nothing else', () => {
    expect(LANGUAGES.filter(isLang)).toEqual(LANGUAGES);
    for (const other of ['xx', 'EN', 'constructor', 3, undefined]) expect(isLang(other)).toBe(false);
  });
});
