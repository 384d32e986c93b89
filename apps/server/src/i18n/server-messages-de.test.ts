import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requestLanguage } from './language.ts';
import { SERVER_MESSAGES_DE } from './server-messages-de.ts';
import { scanServerMessages } from './server-messages-scan.ts';
import { translate } from './translate.ts';

const serverSource = fileURLToPath(new URL('..', import.meta.url));
const websiteValidation = ['websites.ts', 'proactive-greeting.ts'].map((file) =>
  fileURLToPath(new URL(`../../../../packages/db/src/websites/${file}`, import.meta.url)),
);

/** A sentence with its placeholders' names left out, as a template literal found in the source is written. */
const shape = (english: string): string => english.replace(/\{\w+\}/g, '{}');

/** German that is rightly the same as the English: a layout of values, and words German borrows as they are. */
const SAME_IN_GERMAN = new Set(['{field}: {problem}']);

describe('the German of the server’s messages', () => {
  const { found, problems } = scanServerMessages(serverSource, websiteValidation);
  const shapes = new Set(Object.keys(SERVER_MESSAGES_DE).map(shape));

  it('finds the messages it checks: errors, zod messages and the store’s website field errors', () => {
    const texts = found.map((message) => message.text);
    expect(texts).toContain('The email address or the password is not right.');
    expect(texts).toContain('There is no such conversation in this account.');
    expect(texts).toContain('the email address is not valid');
    expect(texts).toContain('The colour must be written #rrggbb, e.g. #2a5d9f.');
    expect(texts).toContain('Name at least one page, e.g. /pricing, or /* for every page.');
    // Through a parameter back to its callers' arguments.
    expect(texts).toContain(
      'This password link is not valid: it may have been used already, been replaced by a newer one or have expired. Ask for a new one.',
    );
    // The dashboard socket's error frames, its own and its channel's.
    expect(texts).toContain('this conversation is another agent’s');
    expect(texts).toContain('frames must be JSON text');
    expect(found.length).toBeGreaterThan(100);
  });

  it('every AppError message is a fixed sentence, its values passed apart', () => {
    expect(problems).toEqual([]);
  });

  it('every message the server sends has German', () => {
    const missing = found.filter(
      (message) => !shapes.has(message.filledIn ? message.text : shape(message.text)),
    );
    expect(missing.map((message) => `${message.where}: ${message.text}`)).toEqual([]);
  });

  it('no German is the English left untranslated', () => {
    const same = Object.entries(SERVER_MESSAGES_DE).filter(
      ([english, german]) => english === german && !SAME_IN_GERMAN.has(english),
    );
    expect(same).toEqual([]);
  });

  it('German keeps every placeholder of the English, and adds none', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [english, german] of Object.entries(SERVER_MESSAGES_DE))
      expect(names(german), english).toEqual(names(english));
  });
});

describe('translate', () => {
  it('fills placeholders after translation, in either language', () => {
    const template = 'This request needs the {header} header from sign-in.';
    expect(translate(template, 'en', { header: 'x-parley-csrf' })).toBe(
      'This request needs the x-parley-csrf header from sign-in.',
    );
    expect(translate(template, 'de', { header: 'x-parley-csrf' })).toBe(
      'Diese Anfrage braucht den Header x-parley-csrf aus der Anmeldung.',
    );
  });

  it('translates a message that arrives filled in, and the values that are messages themselves', () => {
    expect(translate('The name may have at most 80 characters.', 'de')).toBe(
      'Der Name darf höchstens 80 Zeichen haben.',
    );
    expect(translate('Too many wrong passwords for this email address. Try again in 5 minutes.', 'de')).toBe(
      'Zu viele falsche Passwörter für diese E-Mail-Adresse. Versuchen Sie es in 5 Minuten erneut.',
    );
    expect(translate('Too many sign-in attempts from your network. Try again in 1 second.', 'de')).toBe(
      'Zu viele Anmeldeversuche aus Ihrem Netzwerk. Versuchen Sie es in 1 Sekunde erneut.',
    );
    expect(
      translate('{field}: {problem}', 'de', { field: 'email', problem: 'the email address is not valid' }),
    ).toBe('email: die E-Mail-Adresse ist nicht gültig');
  });

  it('leaves a message without German in English', () => {
    expect(translate('Invalid input: expected string, received number', 'de')).toBe(
      'Invalid input: expected string, received number',
    );
  });
});

describe('requestLanguage', () => {
  it.each([
    ['de', 'de'],
    ['de-AT,de;q=0.9,en;q=0.8', 'de'],
    ['DE-de', 'de'],
    ['en-GB,de;q=0.9', 'en'],
    ['fr', 'en'],
    ['deutsch', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('Accept-Language %s answers in %s', (header, language) => {
    expect(requestLanguage(header)).toBe(language);
  });
});
