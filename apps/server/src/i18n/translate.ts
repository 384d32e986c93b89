import type { ServerLanguage } from './language.ts';
import { SERVER_MESSAGES_DE } from './server-messages-de.ts';

/** Values for a message's `{placeholders}`. */
export type MessageValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{(\w+)\}/g;

const fill = (template: string, values: MessageValues): string =>
  template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? String(values[name]) : whole));

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Templates of the table as patterns that match their English text filled in, for messages that arrive already
 * filled (the store's field errors, zod's messages with a number written in): `{name}` matches any text.
 */
const FILLED_PATTERNS = Object.keys(SERVER_MESSAGES_DE)
  .filter((english) => english.includes('{'))
  .map((english) => {
    const names = [...english.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
    const pattern = english
      .split(PLACEHOLDER)
      .map((part, index) => (index % 2 === 1 ? '(.+?)' : escapeRegExp(part)))
      .join('');
    return {
      english,
      names,
      pattern: new RegExp(`^${pattern}$`),
      fixed: english.replace(PLACEHOLDER, '').length,
    };
  })
  // The template with the most fixed text first: `{field}: {problem}` matches only what nothing longer does.
  .sort((a, b) => b.fixed - a.fixed);

/** The German of an English message that may arrive filled in, with the values it was filled with. */
function germanOf(english: string): { template: string; values: MessageValues } | null {
  const exact = SERVER_MESSAGES_DE[english];
  if (exact !== undefined) return { template: exact, values: {} };
  for (const { english: key, names, pattern } of FILLED_PATTERNS) {
    const match = pattern.exec(english);
    if (!match) continue;
    const template = SERVER_MESSAGES_DE[key];
    if (template === undefined) continue;
    return {
      template,
      values: Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? ''])),
    };
  }
  return null;
}

/**
 * A server message in `language`, its `{placeholders}` filled with `values`. Messages are keyed by their English
 * text, so a sentence without German yet still reaches the person, in English. A value that is itself a message
 * of the table (a zod message inside `{problem}`, the wait in a throttled sign-in's message) is translated too.
 */
export function translate(message: string, language: ServerLanguage, values: MessageValues = {}): string {
  if (language === 'en') return fill(message, values);
  const german = germanOf(message);
  if (!german) return fill(message, values);
  const translatedValues = Object.fromEntries(
    Object.entries({ ...german.values, ...values }).map(([name, value]) => [
      name,
      typeof value === 'string' ? translate(value, language) : value,
    ]),
  );
  return fill(german.template, translatedValues);
}
