import { describe, expect, it } from 'vitest';
import { checkMailCatalogue } from '../testing/mail-catalogue.ts';
import { fillIn, pluralText, VISITOR_MAIL_STRINGS, visitorMailLanguage } from './visitor-mail-strings.ts';

/** Texts that are rightly the same as the English one in a language, as `language.key` or `language.key.form`. */
const SAME_AS_ENGLISH = new Set<string>([]);

describe("the visitor's mail in the widget's languages", () => {
  checkMailCatalogue(VISITOR_MAIL_STRINGS, SAME_AS_ENGLISH);

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
