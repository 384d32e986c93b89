import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  browserLanguage,
  CATALOGUES,
  currentLanguage,
  type Entry,
  LANGUAGES,
  type MessageKey,
  setLanguage,
  t,
} from './i18n.ts';

const english = CATALOGUES.en;
const keys = Object.keys(english) as MessageKey[];
const translated = LANGUAGES.filter((language) => language !== 'en');

/**
 * Words that are rightly the same in a language as in English, as `language:key` (`language:key.form` for one
 * form of a plural). Anything else left as the English text is an untranslated string.
 */
const SAME_AS_ENGLISH = new Set([
  'de:shell.nav.team',
  'de:shell.nav.support',
  'de:list.agent',
  'de:conversation.name',
  'de:privacy.status',
  'de:signIn.code',
  'de:team.online',
  'de:team.offline',
  'de:account.optional',
  'de:shell.nav.websites',
  'de:conversation.website',
  'de:conversation.context.browser',
  'de:conversation.context.localTimeValue',
  'de:account.websitesLink',
  'de:websites.name',
]);

/** Every text of an entry, named `key` or `key.form`. */
const texts = (key: string, entry: Entry): Array<[string, string]> =>
  typeof entry === 'string'
    ? [[key, entry]]
    : Object.entries(entry).map(([form, text]) => [`${key}.${form}`, text]);

const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();

afterEach(() => {
  setLanguage('en');
});

describe('the dashboard catalogues', () => {
  it.each(LANGUAGES)('%s has every key of the English catalogue and no other', (language) => {
    const catalogue: Record<string, Entry | undefined> = CATALOGUES[language];
    expect(keys.filter((key) => catalogue[key] === undefined)).toEqual([]);
    expect(Object.keys(catalogue).filter((key) => !(key in english))).toEqual([]);
  });

  it.each(LANGUAGES)(
    '%s gives every plural the forms its plural rules use, and no empty text',
    (language) => {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const key of keys) {
        const entry = CATALOGUES[language][key];
        expect(typeof entry, key).toBe(typeof english[key]);
        if (typeof entry !== 'string')
          for (const category of categories) expect(entry[category], `${key}.${category}`).toBeTruthy();
        for (const [name, text] of texts(key, entry)) expect(text.trim(), name).not.toBe('');
      }
    },
  );

  it.each(translated)('%s keeps the placeholders of the English text', (language) => {
    for (const key of keys) {
      const wanted = texts(key, english[key]).flatMap(([, text]) => placeholders(text));
      const own = texts(key, CATALOGUES[language][key]).flatMap(([, text]) => placeholders(text));
      expect([...new Set(own)].sort(), key).toEqual([...new Set(wanted)].sort());
    }
  });

  it.each(translated)('%s leaves no text the same as English outside the allow-list', (language) => {
    const englishTexts = new Map(keys.flatMap((key) => texts(key, english[key])));
    const same = keys
      .flatMap((key) => texts(key, CATALOGUES[language][key]))
      .filter(([name, text]) => englishTexts.get(name) === text)
      .map(([name]) => `${language}:${name}`);
    expect(same.filter((name) => !SAME_AS_ENGLISH.has(name))).toEqual([]);
  });

  it('has no key that no part of the dashboard uses', () => {
    const source = join(dirname(fileURLToPath(import.meta.url)), '..');
    const code = (readdirSync(source, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => readFileSync(join(source, file), 'utf8'))
      .join('\n');
    expect(keys.filter((key) => !code.includes(`'${key}'`))).toEqual([]);
  });
});

describe('t()', () => {
  it('speaks the chosen language and fills in the values', () => {
    setLanguage('de');
    expect(currentLanguage()).toBe('de');
    expect(t('shell.nav.inbox')).toBe('Posteingang');
    expect(t('shell.yourProfile', { name: 'Olivia' })).toBe('Olivia, Ihr Profil');
    setLanguage('en');
    expect(t('shell.nav.inbox')).toBe('Inbox');
  });

  it('chooses the plural form by the language’s rules and writes the count as the language does', () => {
    setLanguage('en');
    expect(t('privacy.found', { count: 1 })).toBe('1 visitor found.');
    expect(t('privacy.found', { count: 2 })).toBe('2 visitors found.');
    expect(t('profile.othersEnded', { count: 1 })).toBe('One other sign-in ended.');
    setLanguage('de');
    expect(t('profile.codesLeft', { count: 1 })).toBe('Noch 1 Wiederherstellungscode übrig.');
    expect(t('profile.codesLeft', { count: 1500 })).toBe('Noch 1.500 Wiederherstellungscodes übrig.');
  });

  it('follows the browser until the agent chooses: the first language it prefers that the dashboard speaks', () => {
    const cases: Array<[string[], string]> = [
      [['de-AT', 'en'], 'de'],
      [['fr-FR', 'de'], 'de'],
      [['EN-gb'], 'en'],
      [['fr', 'it'], 'en'],
      [[], 'en'],
    ];
    for (const [preferred, language] of cases)
      expect(browserLanguage(preferred), preferred.join()).toBe(language);
  });
});
