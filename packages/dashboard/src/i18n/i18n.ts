import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

// The dashboard's words, one catalogue a language beside this file. The agent chooses the language in their
// profile; until they do, the dashboard follows the browser. Views ask `t()` for every word they show, when they
// render, so that a view built after `setLanguage` speaks the new language.

/** The languages the dashboard speaks, English first: the one used when nothing else fits. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text that depends on a count: one form per plural category of the language (`Intl.PluralRules`). */
export type PluralEntry = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Entry = string | PluralEntry;
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, Entry>;

export const CATALOGUES: Record<Language, Catalogue> = { en, de };

/** Each language's own name, as its speakers write it: the choice is found by those who cannot read the rest. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

let current: Language = 'en';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The first of the browser's preferred languages (`navigator.languages`) that the dashboard speaks, else English. */
export function browserLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/** What the browser prefers, or nothing outside a browser. */
export function preferredLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The agent's choice, else the browser's; `<html lang>` follows, so screen readers pronounce the words right. */
export function setLanguage(chosen: Language | null | undefined): Language {
  current = chosen ?? browserLanguage(preferredLanguages());
  if (typeof document !== 'undefined') document.documentElement.lang = current;
  return current;
}

export const currentLanguage = (): Language => current;

/** `text` with each `{name}` replaced by its value, numbers written as the language writes them. */
function fillIn(text: string, values: Record<string, string | number>, language: Language): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(language).format(value) : value;
  });
}

/**
 * The words for `key` in the current language, with `{name}` placeholders filled in from `values`. A plural entry
 * takes the form that `values.count` calls for.
 */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const entry = CATALOGUES[current][key] ?? CATALOGUES.en[key];
  if (typeof entry === 'string') return fillIn(entry, values, current);
  const count = typeof values.count === 'number' ? values.count : 0;
  const form = entry[new Intl.PluralRules(current).select(count)] ?? entry.other;
  return fillIn(form, values, current);
}
