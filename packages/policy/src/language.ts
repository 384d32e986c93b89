/** The languages Parley's policy and public site are written in; English is the one the model is written in. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** A table of words with each entry in every language, side by side, so that no entry can lack a language. */
type Words = Record<string, Record<Language, unknown>>;

/** The table's entries in one language, with the types the English entries have. */
export const wordsIn = <T extends Words>(table: T, language: Language): { [K in keyof T]: T[K]['en'] } =>
  Object.fromEntries(Object.entries(table).map(([key, entry]) => [key, entry[language]])) as {
    [K in keyof T]: T[K]['en'];
  };
