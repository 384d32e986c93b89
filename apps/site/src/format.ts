import type { Language, PolicyContent } from '@parley/policy';

const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };
const regionNames = Object.fromEntries(
  Object.entries(LOCALES).map(([language, locale]) => [
    language,
    new Intl.DisplayNames([locale], { type: 'region' }),
  ]),
) as Record<Language, Intl.DisplayNames>;
const dates = Object.fromEntries(
  Object.entries(LOCALES).map(([language, locale]) => [
    language,
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
  ]),
) as Record<Language, Intl.DateTimeFormat>;

/** `DE` → "Germany" ("Deutschland"): the policy lists ISO 3166 codes, people read names. */
export const regionName = (code: string, language: Language = 'en'): string =>
  regionNames[language].of(code) ?? code;

/** `2026-11-29` → "29 November 2026" ("29. November 2026"). */
export const formatDate = (isoDate: string, language: Language = 'en'): string =>
  dates[language].format(new Date(`${isoDate}T00:00:00Z`));

export const categoryName = (content: PolicyContent, key: string): string =>
  content.categories.find((category) => category.key === key)?.name ?? key;

const YES_NO: Record<Language, [string, string]> = { en: ['Yes', 'No'], de: ['Ja', 'Nein'] };

export const yesNo = (value: boolean, language: Language = 'en'): string => YES_NO[language][value ? 0 : 1];
