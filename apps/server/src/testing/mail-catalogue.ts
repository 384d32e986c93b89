import { expect, it } from 'vitest';
import type { PluralText } from '../mail/visitor-mail-strings.ts';

// The checks every catalogue of mail words passes, whoever reads the mail: each language has every key and each
// plural form it uses, keeps the English placeholders, and differs from English except where an allow-list says.

type Catalogue = Record<string, string | PluralText>;

/** Every text a catalogue entry holds, named `key` or `key.form`. */
function texts(strings: Catalogue): Map<string, string> {
  const all = new Map<string, string>();
  for (const [key, value] of Object.entries(strings)) {
    if (typeof value === 'string') all.set(key, value);
    else for (const [form, text] of Object.entries(value)) all.set(`${key}.${form}`, text);
  }
  return all;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

/**
 * Declares the tests of a catalogue. `sameAsEnglish` names the texts that are rightly the same as the English one,
 * as `language.key` or `language.key.form`.
 */
export function checkMailCatalogue<
  Language extends string,
  Strings extends { [Key in keyof Strings]: string | PluralText },
>(typed: Record<Language, Strings>, sameAsEnglish: ReadonlySet<string>): void {
  // Read as plain records: the tests look for keys and texts the types would not let a catalogue have.
  const catalogues = typed as Record<Language, object> as Record<Language, Catalogue>;
  const languages = Object.keys(catalogues) as Language[];
  const english = catalogues['en' as Language];
  const keys = Object.keys(english);
  const translated = languages.filter((language) => language !== 'en');

  it.each(languages)('%s has every key, each plural form the language uses, and no stray key', (language) => {
    const strings = catalogues[language];
    expect(Object.keys(strings).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const value = strings[key];
      expect(typeof value, `${language}.${key}`).toBe(typeof english[key]);
      if (typeof value === 'string') expect(value.trim(), `${language}.${key}`).not.toBe('');
      else
        for (const form of new Intl.PluralRules(language).resolvedOptions().pluralCategories)
          expect(value?.[form], `${language}.${key}.${form}`).toBeTruthy();
    }
  });

  it.each(languages)('%s keeps the placeholders of the English text', (language) => {
    const reference = texts(english);
    for (const [name, text] of texts(catalogues[language])) {
      const key = name.split('.')[0] ?? name;
      expect(placeholders(text), `${language}.${name}`).toEqual(
        placeholders(reference.get(name) ?? reference.get(`${key}.other`) ?? ''),
      );
    }
  });

  it.each(translated)('%s leaves no text identical to English outside the allow-list', (language) => {
    const reference = texts(english);
    const same = [...texts(catalogues[language])]
      .filter(([name, text]) => reference.get(name) === text)
      .map(([name]) => `${language}.${name}`);
    expect(same.filter((name) => !sameAsEnglish.has(name))).toEqual([]);
  });
}
