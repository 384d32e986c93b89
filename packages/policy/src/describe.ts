import { describeDuration } from './duration.ts';
import type { Language } from './language.ts';
import type { CookieLifetime, LegalBasis, Retention, SubjectId } from './schema.ts';

const UNTIL_BROWSER_CLOSES: Record<Language, string> = {
  en: 'Until the browser closes',
  de: 'Bis zum Schließen des Browsers',
};

export const describeLifetime = (lifetime: CookieLifetime, language: Language = 'en'): string =>
  lifetime === 'session' ? UNTIL_BROWSER_CLOSES[language] : describeDuration(lifetime, language);

/** The moment a retention clock starts: English as a clause, German as the noun a preposition takes. */
const EVENT_WORDS: Record<Language, Record<Retention['after'], string>> = {
  en: {
    collected: 'it is collected',
    last_activity: 'the last activity',
    conversation_closed: 'the conversation is closed',
    account_closed: 'the account is closed',
    agent_removed: 'the person is removed from the account',
    session_ended: 'the session ends',
    request_completed: 'the request is completed',
    sent: 'it is sent',
  },
  de: {
    collected: 'der Erhebung',
    last_activity: 'der letzten Aktivität',
    conversation_closed: 'dem Abschluss des Gesprächs',
    account_closed: 'der Schließung des Kontos',
    agent_removed: 'der Entfernung der Person aus dem Konto',
    session_ended: 'dem Ende der Sitzung',
    request_completed: 'dem Abschluss des Antrags',
    sent: 'dem Versand',
  },
};

const RETENTION_WORDS: Record<Language, { deleted: (event: string) => string; after: string }> = {
  en: { deleted: (event) => `Deleted when ${event}`, after: 'after' },
  de: { deleted: (event) => `Gelöscht mit ${event}`, after: 'nach' },
};

export function describeRetention(r: Retention, language: Language = 'en'): string {
  const event = EVENT_WORDS[language][r.after];
  const words = RETENTION_WORDS[language];
  return r.keep === 'P0D'
    ? words.deleted(event)
    : `${describeDuration(r.keep, language)} ${words.after} ${event}`;
}

/**
 * A description that begins a sentence, made to continue one. Only the first letter changes: German nouns keep
 * their capital, and every description that can start with a noun starts with a number instead.
 */
export const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** The legal basis as GDPR names it; German adds the article, as German privacy policies do. */
const LEGAL_BASIS_NAMES: Record<Language, Record<LegalBasis, string>> = {
  en: {
    consent: 'consent',
    contract: 'contract',
    legal_obligation: 'legal obligation',
    vital_interests: 'vital interests',
    public_task: 'public task',
    legitimate_interests: 'legitimate interests',
  },
  de: {
    consent: 'Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)',
    contract: 'Vertragserfüllung (Art. 6 Abs. 1 lit. b DSGVO)',
    legal_obligation: 'rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO)',
    vital_interests: 'lebenswichtige Interessen (Art. 6 Abs. 1 lit. d DSGVO)',
    public_task: 'Wahrnehmung einer Aufgabe im öffentlichen Interesse (Art. 6 Abs. 1 lit. e DSGVO)',
    legitimate_interests: 'berechtigte Interessen (Art. 6 Abs. 1 lit. f DSGVO)',
  },
};

export const describeLegalBasis = (basis: LegalBasis, language: Language = 'en'): string =>
  LEGAL_BASIS_NAMES[language][basis];

const SUBJECT_NAMES: Record<Language, Record<SubjectId, string>> = {
  en: {
    account_holder: 'Account holders',
    agent: 'Agents',
    visitor: 'Visitors',
    operator_staff: 'Operator staff',
  },
  de: {
    account_holder: 'Kontoinhaber',
    agent: 'Agenten',
    visitor: 'Besucher',
    operator_staff: 'Mitarbeiter des Betreibers',
  },
};

/** The name of a subject in `language`, as a function a list of ids can be mapped with. */
export const subjectNameIn =
  (language: Language) =>
  (id: string): string =>
    SUBJECT_NAMES[language][id as SubjectId] ?? id;

export const subjectName = subjectNameIn('en');
