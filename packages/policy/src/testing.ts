/**
 * For tests of a translation: what is wrong with `translation` as a translation of `english`, two catalogues of the
 * same shape (nested objects and arrays of strings), one line per problem: a key one lacks, a value left equal to
 * the English outside `sameInBoth` (names and words both languages write alike), a `{placeholder}` one forgets.
 */
export function catalogueProblems(
  english: unknown,
  translation: unknown,
  sameInBoth: ReadonlySet<string>,
): string[] {
  const source = new Map(entries(english));
  const translated = new Map(entries(translation));
  const placeholders = (text: string) =>
    [...text.matchAll(/\{(\w+)\}/g)]
      .map((match) => match[1])
      .sort()
      .join();
  return [
    ...[...source.keys()].filter((key) => !translated.has(key)).map((key) => `missing: ${key}`),
    ...[...translated.keys()].filter((key) => !source.has(key)).map((key) => `not in English: ${key}`),
    ...[...source]
      .filter(([key, text]) => translated.get(key) === text && !sameInBoth.has(text))
      .map(([key]) => `untranslated: ${key}`),
    ...[...source]
      .filter(
        ([key, text]) => translated.has(key) && placeholders(text) !== placeholders(translated.get(key)!),
      )
      .map(([key]) => `placeholders: ${key}`),
  ];
}

/** Every text of a catalogue by its path (`compare.areas.cookie`, `home.whyText.1`). */
function entries(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as object).flatMap(([key, inner]) =>
    entries(inner, path === '' ? key : `${path}.${key}`),
  );
}
