import { WIDGET_LANGUAGES, type WidgetLanguage } from '@parley/protocol';
import de from './visitor-mail-strings/de.json' with { type: 'json' };
import en from './visitor-mail-strings/en.json' with { type: 'json' };
import es from './visitor-mail-strings/es.json' with { type: 'json' };
import fr from './visitor-mail-strings/fr.json' with { type: 'json' };
import it from './visitor-mail-strings/it.json' with { type: 'json' };
import nl from './visitor-mail-strings/nl.json' with { type: 'json' };
import pl from './visitor-mail-strings/pl.json' with { type: 'json' };
import pt from './visitor-mail-strings/pt.json' with { type: 'json' };

// The words of every mail a visitor receives, in each language the widget speaks, one file a language beside this
// one. A visitor is written to in the language their browser asked the widget for, so the mail reads like the chat
// it follows.

/** A text that depends on a count: one form per plural category of the language (`Intl.PluralRules`). */
export type PluralText = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface VisitorMailStrings {
  /** `{organization}` */
  transcriptSubject: string;
  /** `{organization}`, `{started}`: the date and time the chat started, in UTC. */
  transcriptHeading: string;
  /** `{count}`: whole minutes from the chat's start to its last message. */
  transcriptLength: PluralText;
  /** How the visitor is named in their own transcript. */
  you: string;
  /** Why the mail came, for someone whose address a stranger typed in. */
  transcriptRequested: string;
  /** `{organization}`: the subject an answer to an offline message replies to (after `Re: `). */
  offlineReplySubject: string;
  /** Before the visitor's own offline message, quoted under the answer. */
  offlineReplyQuote: string;
  /** `{name}`: a file sent in the chat, as its transcript names it (the file itself is not in the mail). */
  transcriptFile: string;
}

export const VISITOR_MAIL_STRINGS: Record<WidgetLanguage, VisitorMailStrings> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  pt,
  pl,
};

/**
 * The language a visitor is written to: the first of the widget's languages that the visitor's locale (`de-AT`,
 * `pl`) names, else English.
 */
export function visitorMailLanguage(locale: string | null | undefined): WidgetLanguage {
  if (!locale) return 'en';
  let language: string;
  try {
    language = new Intl.Locale(locale).language;
  } catch {
    return 'en';
  }
  return WIDGET_LANGUAGES.find((candidate) => candidate === language) ?? 'en';
}

/** `text` with each `{name}` replaced by its value; a name without a value stays as it is. */
export function fillIn(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** The form of `text` that `count` takes in `language`, with the count written as that language writes numbers. */
export function pluralText(language: WidgetLanguage, text: PluralText, count: number): string {
  const form = text[new Intl.PluralRules(language).select(count)] ?? text.other;
  return fillIn(form, { count: new Intl.NumberFormat(language).format(count) });
}
