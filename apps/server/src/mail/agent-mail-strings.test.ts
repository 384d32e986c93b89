import { describe, expect, it } from 'vitest';
import { checkMailCatalogue } from '../testing/mail-catalogue.ts';
import { AGENT_MAIL_STRINGS, agentMailLanguage, mailDateTime } from './agent-mail-strings.ts';
import { pluralText } from './visitor-mail-strings.ts';

/** Texts that are rightly the same as the English one in a language, as `language.key` or `language.key.form`. */
const SAME_AS_ENGLISH = new Set<string>(['de.signOff']);

describe("the agents' and account holders' mail in the dashboard's languages", () => {
  checkMailCatalogue(AGENT_MAIL_STRINGS, SAME_AS_ENGLISH);

  it("writes in the agent's chosen language, else the request's, else English", () => {
    const cases: Array<[Parameters<typeof agentMailLanguage>, string]> = [
      [['de', 'en-US,en'], 'de'],
      [['en', 'de-DE,de'], 'en'],
      [[null, 'de-AT,de;q=0.9'], 'de'],
      [[null, 'fr-FR,de;q=0.9'], 'en'],
      [[undefined, undefined], 'en'],
      [[null], 'en'],
    ];
    for (const [input, language] of cases) expect(agentMailLanguage(...input), String(input)).toBe(language);
  });

  it('counts minutes and writes dates as each language does, in UTC', () => {
    expect([1, 30].map((n) => pluralText('de', AGENT_MAIL_STRINGS.de.linkLifetime, n))).toEqual([
      'Er funktioniert einmal, 1 Minute lang:',
      'Er funktioniert einmal, 30 Minuten lang:',
    ]);
    expect(pluralText('en', AGENT_MAIL_STRINGS.en.linkLifetime, 60)).toBe('It works once, for 60 minutes:');
    const at = Date.UTC(2026, 2, 5, 14, 7);
    expect(mailDateTime('de', at)).toBe('5. März 2026 um 14:07 UTC');
    expect(mailDateTime('en', at)).toBe('5 March 2026 at 14:07 UTC');
  });
});
