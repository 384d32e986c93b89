import { describe, expect, it } from 'vitest';
import { describeDuration, fill, LAUNCHER_STRINGS, type Lang, pickLang, STRINGS } from './strings.ts';

const langs = Object.keys(STRINGS) as Lang[];
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('string tables', () => {
  it('English and German both exist, for the chat and for the launcher', () => {
    expect(langs.sort()).toEqual(['de', 'en']);
    expect(Object.keys(LAUNCHER_STRINGS).sort()).toEqual(['de', 'en']);
  });

  it.each(langs)('%s has every key of every other language, none empty', (lang) => {
    for (const other of langs)
      expect(Object.keys(STRINGS[lang]).sort()).toEqual(Object.keys(STRINGS[other]).sort());
    for (const [key, text] of Object.entries(STRINGS[lang])) expect(text.trim(), key).not.toBe('');
    expect(Object.keys(LAUNCHER_STRINGS[lang]).sort()).toEqual(Object.keys(LAUNCHER_STRINGS.en).sort());
    for (const text of Object.values(LAUNCHER_STRINGS[lang])) expect(text.trim()).not.toBe('');
  });

  it('every translation uses the same placeholders as English', () => {
    for (const lang of langs)
      for (const [key, text] of Object.entries(STRINGS.en))
        expect(placeholders(STRINGS[lang][key as keyof typeof STRINGS.en]), `${lang}.${key}`).toEqual(
          placeholders(text),
        );
  });

  it('labels the launcher as the issue asks', () => {
    expect(LAUNCHER_STRINGS.en.open).toBe('Open chat');
    expect(LAUNCHER_STRINGS.de.open).toBe('Chat öffnen');
  });

  it('CK-4: the opt-out confirmation says "no chat, no cookies" in both languages', () => {
    expect(STRINGS.en.optOutBody).toMatch(/^No chat, no cookies/);
    expect(STRINGS.de.optOutBody).toMatch(/^Kein Chat, keine Cookies/);
  });
});

describe('pickLang', () => {
  it.each([
    ['de', 'de'],
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['DE_ch', 'de'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
  ])('page lang %s → %s', (pageLang, lang) => {
    expect(pickLang(pageLang)).toBe(lang);
  });
});

describe('fill and describeDuration', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('{name} is typing…', { name: 'Olivia' })).toBe('Olivia is typing…');
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it.each([
    ['P1Y', 'en', '1 year'],
    ['P2Y', 'en', '2 years'],
    ['P30D', 'en', '30 days'],
    ['P6M', 'en', '6 months'],
    ['P1W', 'en', '1 week'],
    ['P1Y', 'de', '1 Jahr'],
    ['P30D', 'de', '30 Tage'],
    ['P1M2D', 'de', '1 Monat 2 Tage'],
  ] as const)('%s in %s is "%s"', (iso, lang, words) => {
    expect(describeDuration(iso, STRINGS[lang])).toBe(words);
  });
});
