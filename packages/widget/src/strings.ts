import type { en } from './languages/en.ts';

// How the widget's words are shaped and filled in. Each language's table is its own file in languages/; a chat
// bundle carries exactly one (the build picks it, see chat-language.ts), and the launcher none: its one word per
// language is in language-choice.ts.

/** A word that depends on a number: one form per plural category of the language, `other` always. */
export interface Plural {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

type Shape<Table> = { [Key in keyof Table]: Table[Key] extends string ? string : Plural };

export type Strings = Shape<typeof en>;
export type StringKey = keyof Strings;
export type PluralKey = { [Key in StringKey]: Strings[Key] extends Plural ? Key : never }[StringKey];

/** Fills `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

/** The form of `forms` for `count` under `lang`'s plural rules, with `{n}` filled in. */
export function plural(lang: string, forms: Plural, count: number): string {
  const category = new Intl.PluralRules(lang).select(count) as keyof Plural;
  return fill(forms[category] ?? forms.other, { n: count });
}

/**
 * A declared ISO 8601 lifetime in words ("1 year", "30 Tage", "5 lat"), so the opt-out notice states what the
 * policy declares instead of a number copied into the text. Only the date units a cookie lifetime uses.
 */
export function describeDuration(iso: string, strings: Strings, lang: string): string {
  const parts: string[] = [];
  for (const [, amount, unit] of iso.matchAll(/(\d+)([YMWD])/g))
    parts.push(plural(lang, strings[`duration${unit}` as PluralKey], Number(amount)));
  return parts.join(' ') || iso;
}
