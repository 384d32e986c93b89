import { WIDGET_LANGUAGES } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  fillIn,
  type PluralText,
  pluralText,
  VISITOR_MAIL_STRINGS,
  type VisitorMailStrings,
  visitorMailLanguage,
} from './visitor-mail-strings.ts';

const english = VISITOR_MAIL_STRINGS.en;
const keys = Object.keys(english) as Array<keyof VisitorMailStrings>;
const translated = WIDGET_LANGUAGES.filter((language) => language !== 'en');

/** Texts that are rightly the same as the English one in a language, as `language.key` or `language.key.form`. */
const SAME_AS_ENGLISH = new Set<string>([]);

/** Every text a catalogue entry holds, named `key` or `key.form`. */
function texts(strings: VisitorMailStrings): Map<string, string> {
  const all = new Map<string, string>();
  for (const key of keys) {
    const value: string | PluralText = strings[key];
    if (typeof value === 'string') all.set(key, value);
    else for (const [form, text] of Object.entries(value)) all.set(`${key}.${form}`, text);
  }
  return all;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe("the visitor's mail in the widget's languages", () => {
  it.each(WIDGET_LANGUAGES)(
    '%s has every key, each plural form the language uses, and no stray key',
    (language) => {
      const strings = VISITOR_MAIL_STRINGS[language];
      expect(Object.keys(strings).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const value: string | PluralText = strings[key];
        expect(typeof value, `${language}.${key}`).toBe(typeof english[key]);
        if (typeof value === 'string') expect(value.trim(), `${language}.${key}`).not.toBe('');
        else
          for (const form of new Intl.PluralRules(language).resolvedOptions().pluralCategories)
            expect(value[form], `${language}.${key}.${form}`).toBeTruthy();
      }
    },
  );

  it.each(WIDGET_LANGUAGES)('%s keeps the placeholders of the English text', (language) => {
    const own = texts(VISITOR_MAIL_STRINGS[language]);
    const reference = texts(english);
    for (const [name, text] of own) {
      const key = name.split('.')[0] ?? name;
      expect(placeholders(text), `${language}.${name}`).toEqual(
        placeholders(reference.get(name) ?? reference.get(`${key}.other`) ?? ''),
      );
    }
  });

  it.each(translated)('%s leaves no text identical to English outside the allow-list', (language) => {
    const reference = texts(english);
    const same = [...texts(VISITOR_MAIL_STRINGS[language])]
      .filter(([name, text]) => reference.get(name) === text)
      .map(([name]) => `${language}.${name}`);
    expect(same.filter((name) => !SAME_AS_ENGLISH.has(name))).toEqual([]);
  });

  it('writes to a visitor in the first widget language their locale names, else in English', () => {
    const cases: Array<[string | null | undefined, string]> = [
      ['de-AT', 'de'],
      ['pl', 'pl'],
      ['pt-BR', 'pt'],
      ['nl-BE', 'nl'],
      ['fr-CA', 'fr'],
      ['sv-SE', 'en'],
      ['not a locale!', 'en'],
      ['', 'en'],
      [null, 'en'],
      [undefined, 'en'],
    ];
    for (const [locale, language] of cases)
      expect(visitorMailLanguage(locale), String(locale)).toBe(language);
  });

  it('counts in Polish with its three forms, and in German with two', () => {
    const polish = VISITOR_MAIL_STRINGS.pl.transcriptLength;
    expect([1, 2, 5, 22, 25].map((n) => pluralText('pl', polish, n))).toEqual([
      'Czas trwania: 1 minuta',
      'Czas trwania: 2 minuty',
      'Czas trwania: 5 minut',
      'Czas trwania: 22 minuty',
      'Czas trwania: 25 minut',
    ]);
    const german = VISITOR_MAIL_STRINGS.de.transcriptLength;
    expect([1, 2, 1500].map((n) => pluralText('de', german, n))).toEqual([
      'Dauer: 1 Minute',
      'Dauer: 2 Minuten',
      'Dauer: 1.500 Minuten',
    ]);
  });

  it('fills in the named values and leaves unknown names as they are', () => {
    expect(fillIn('{organization} at {when}, {unknown}', { organization: 'Acme', when: 3 })).toBe(
      'Acme at 3, {unknown}',
    );
  });
});
