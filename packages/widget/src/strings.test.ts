import { describe, expect, it } from 'vitest';
import { STRINGS } from './all-languages.ts';
import { LANGUAGES, LAUNCHER_LABELS, type Lang } from './language-choice.ts';
import { describeDuration, fill, type Plural, plural, type StringKey, type Strings } from './strings.ts';

const english = STRINGS.en;
const keys = Object.keys(english).sort() as StringKey[];
const others = LANGUAGES.filter((lang) => lang !== 'en');
const isPlural = (value: string | Plural): value is Plural => typeof value === 'object';
/** Every text of a value: the string itself, or each form of a plural. */
const texts = (value: string | Plural): string[] => (isPlural(value) ? Object.values(value) : [value]);
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

/**
 * Values a language may leave as English has them: words that language really uses unchanged. Anything else
 * identical to English is a value someone forgot to translate.
 */
const SAME_AS_ENGLISH: Partial<Record<Lang, StringKey[]>> = {
  de: ['name', 'optional'],
  fr: ['messages', 'message'],
  nl: ['durationW'],
};

/** Languages whose `many` is only for very large numbers (French "1 000 000 de messages"): `other` may stand in. */
const MANY_ONLY_FOR_MILLIONS: Lang[] = ['fr', 'es', 'it', 'pt'];

describe('string tables', () => {
  it('cover the eight languages a website may offer, for the chat and for the launcher', () => {
    expect(Object.keys(STRINGS).sort()).toEqual([...LANGUAGES].sort());
    expect(LANGUAGES.sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'pt']);
  });

  it.each(others)('%s has every key English has, and no other', (lang) => {
    expect(Object.keys(STRINGS[lang]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s has no empty value and no plural where English has a plain string', (lang) => {
    for (const key of keys) {
      const value = STRINGS[lang][key] as string | Plural;
      expect(isPlural(value), `${lang}.${key}`).toBe(isPlural(english[key] as string | Plural));
      for (const text of texts(value)) expect(text.trim(), `${lang}.${key}`).not.toBe('');
    }
    expect(LAUNCHER_LABELS[lang].trim()).not.toBe('');
  });

  it.each(others)(
    '%s translates every value, outside its short list of words the same in English',
    (lang) => {
      const same = keys.filter((key) => {
        const ours = texts(STRINGS[lang][key] as string | Plural);
        const theirs = texts(english[key] as string | Plural);
        return ours.some((text) => theirs.includes(text));
      });
      expect(same).toEqual((SAME_AS_ENGLISH[lang] ?? []).slice().sort());
      expect(LAUNCHER_LABELS[lang]).not.toBe(LAUNCHER_LABELS.en);
    },
  );

  it('a key missing from a table fails the check above', () => {
    const { title: _dropped, ...missing } = STRINGS.de;
    expect(Object.keys(missing).sort()).not.toEqual(keys);
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English in every form', (lang) => {
    for (const key of keys)
      for (const text of texts(STRINGS[lang][key] as string | Plural))
        expect(placeholders(text), `${lang}.${key}`).toEqual(placeholders(texts(english[key])[0] ?? ''));
  });

  it.each(LANGUAGES)('%s gives each plural exactly the forms its plural rules use', (lang) => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const needed = categories.filter(
      (category) => !(category === 'many' && MANY_ONLY_FOR_MILLIONS.includes(lang)),
    );
    for (const key of keys) {
      const value = STRINGS[lang][key] as string | Plural;
      if (!isPlural(value)) continue;
      for (const form of needed) expect(value[form], `${lang}.${key}.${form}`).toBeDefined();
      for (const form of Object.keys(value)) expect(categories, `${lang}.${key}.${form}`).toContain(form);
    }
  });

  it('labels the launcher "Open chat" in the visitor’s language', () => {
    expect(LAUNCHER_LABELS).toMatchObject({ en: 'Open chat', de: 'Chat öffnen', pl: 'Otwórz czat' });
  });

  it('CK-4: the opt-out confirmation begins with "no chat, no cookies" in every language', () => {
    const opening: Record<Lang, RegExp> = {
      en: /^No chat, no cookies/,
      de: /^Kein Chat, keine Cookies/,
      fr: /^Pas de chat, pas de cookies/,
      es: /^Sin chat, sin cookies/,
      it: /^Niente chat, niente cookie/,
      nl: /^Geen chat, geen cookies/,
      pt: /^Sem chat, sem cookies/,
      pl: /^Bez czatu, bez cookies/,
    };
    for (const lang of LANGUAGES) expect(STRINGS[lang].optOutBody, lang).toMatch(opening[lang]);
  });

  it('German, French, Spanish, Italian, Dutch and Polish address the visitor formally', () => {
    const formal: Partial<Record<Lang, RegExp>> = {
      de: /\bIhnen\b/,
      fr: /\bvous\b/,
      es: /\bayudarle\b/,
      it: /\baiutarLa\b/,
      nl: /\bu\b/,
      pl: /\bPaństw/,
    };
    const everything = (lang: Lang) =>
      keys.flatMap((key) => texts(STRINGS[lang][key] as string | Plural)).join(' ');
    for (const [lang, pattern] of Object.entries(formal))
      expect(everything(lang as Lang), lang).toMatch(pattern);
    expect(everything('de')).not.toMatch(/\b(du|dich|dir)\b/i);
    expect(everything('fr')).not.toMatch(/\b(tu|toi|ton|ta)\b/i);
  });
});

describe('plurals follow each language’s rules', () => {
  it.each([
    [1, '1 rok'],
    [2, '2 lata'],
    [4, '4 lata'],
    [5, '5 lat'],
    [12, '12 lat'],
    [22, '22 lata'],
    [25, '25 lat'],
  ])('Polish: %i years is "%s"', (count, words) => {
    expect(plural('pl', STRINGS.pl.durationY, count)).toBe(words);
  });

  it.each([
    [1, '1 nowa wiadomość'],
    [3, '3 nowe wiadomości'],
    [5, '5 nowych wiadomości'],
    [22, '22 nowe wiadomości'],
  ])('Polish: %i unread is "%s"', (count, words) => {
    expect(plural('pl', STRINGS.pl.openUnread, count)).toContain(words);
  });

  it.each([
    ['en', 1, '1 year'],
    ['en', 2, '2 years'],
    ['de', 1, '1 Jahr'],
    ['de', 3, '3 Jahre'],
    ['fr', 1, '1 an'],
    ['fr', 2, '2 ans'],
    ['es', 1, '1 año'],
    ['it', 2, '2 anni'],
    ['nl', 2, '2 jaar'],
    ['pt', 1, '1 ano'],
    ['pt', 2, '2 anos'],
  ] as const)('%s: %i years is "%s"', (lang, count, words) => {
    expect(plural(lang, STRINGS[lang].durationY, count)).toBe(words);
  });

  it('French counts zero as one, English does not', () => {
    expect(plural('fr', STRINGS.fr.openUnread, 0)).toBe('Ouvrir le chat (0 nouveau message)');
    expect(plural('en', STRINGS.en.openUnread, 0)).toBe('Open chat (0 new messages)');
  });

  it('falls back to `other` for a form a table leaves out', () => {
    const forms: Plural = { one: '{n} thing', other: '{n} things' };
    expect(plural('fr', forms, 1_000_000)).toBe('1000000 things');
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
    ['P2Y', 'pl', '2 lata'],
    ['P5Y', 'pl', '5 lat'],
    ['P30D', 'pl', '30 dni'],
    ['P1Y', 'fr', '1 an'],
  ] as const)('%s in %s is "%s"', (iso, lang, words) => {
    expect(describeDuration(iso, STRINGS[lang] as Strings, lang)).toBe(words);
  });
});
