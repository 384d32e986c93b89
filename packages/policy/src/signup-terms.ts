import { describeRetention, lowerFirst } from './describe.ts';
import type { Language } from './language.ts';
import { localizeVersion } from './localize.ts';
import type { PolicyVersion } from './schema.ts';

const TERMS_WORDS: Record<
  Language,
  {
    accept: (controller: string, version: string, date: string) => string;
    region: (region: string) => string;
    confirm: string;
    deleted: (retention: string) => string;
  }
> = {
  en: {
    accept: (controller, version, date) =>
      `${controller} runs this Parley installation. By signing up you accept its privacy policy, version ${version} of ${date}, which you can read in full at /privacy.`,
    region: (region) =>
      `Your account's data is kept in the region ${region}, where this installation stores its data.`,
    confirm:
      'We mail you a link to confirm your email address. Until you open it your sign-up is not an account.',
    deleted: (retention) =>
      `We mail you a link to confirm your email address. Until you open it your sign-up is not an account; if you never open it, it is deleted (${retention}).`,
  },
  de: {
    accept: (controller, version, date) =>
      `${controller} betreibt diese Parley-Installation. Mit Ihrer Registrierung bestätigen Sie, deren Datenschutzerklärung in der Version ${version} vom ${date} zur Kenntnis genommen zu haben; Sie können sie vollständig unter /de/privacy lesen.`,
    region: (region) =>
      `Die Daten Ihres Kontos werden in der Region ${region} gespeichert, in der diese Installation ihre Daten speichert.`,
    confirm:
      'Wir senden Ihnen einen Link zur Bestätigung Ihrer E-Mail-Adresse. Bis Sie ihn öffnen, ist Ihre Registrierung kein Konto.',
    deleted: (retention) =>
      `Wir senden Ihnen einen Link zur Bestätigung Ihrer E-Mail-Adresse. Bis Sie ihn öffnen, ist Ihre Registrierung kein Konto; öffnen Sie ihn nie, wird sie gelöscht (${retention}).`,
  },
};

/**
 * COL-1: the text a business reads on the sign-up form, from the version in force, in the language of the form.
 * The page shows these paragraphs as they are, and the consent record keeps the hash of exactly them (joined by
 * blank lines) with their language, so the record proves what was shown: the same function makes the text for the
 * page and for the hash.
 */
export function signupTerms(englishVersion: PolicyVersion, language: Language = 'en'): string[] {
  const version = localizeVersion(englishVersion, language);
  const content = version.content;
  const words = TERMS_WORDS[language];
  const collected = content.promises.find((p) => p.id === 'COL-1');
  const pending = content.retention.find(
    (r) => r.store === 'pending_signups' && r.category === 'user.contact.email',
  );
  return [
    words.accept(content.controller.name, version.version, version.date),
    ...(collected ? [collected.statement] : []),
    words.region(content.regions.installation),
    pending ? words.deleted(lowerFirst(describeRetention(pending.retention, language))) : words.confirm,
  ];
}

/** The text whose hash the consent record keeps: the paragraphs as shown, separated by blank lines. */
export const signupTermsText = (version: PolicyVersion, language: Language = 'en'): string =>
  signupTerms(version, language).join('\n\n');

/** Whether a version declares how long an unconfirmed sign-up is kept; sign-up waits for one that does (CHG-1). */
export const declaresSignups = (version: PolicyVersion): boolean =>
  version.content.retention.some((r) => r.store === 'pending_signups');
