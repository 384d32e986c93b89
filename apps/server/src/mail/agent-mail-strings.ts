import type { DashboardLanguage } from '@parley/db/chat';
import { requestLanguage, type ServerLanguage } from '../i18n/language.ts';
import de from './agent-mail-strings/de.json' with { type: 'json' };
import en from './agent-mail-strings/en.json' with { type: 'json' };
import type { PluralText } from './visitor-mail-strings.ts';

// The words of every mail to an agent or an account holder, in each language the dashboard speaks, one file a
// language beside this one. The German is formal and uses the dashboard's words (Konto, Anmeldung, Inhaber).

export interface AgentMailStrings {
  /** `{name}` */
  greeting: string;
  signOff: string;
  /** `{count}`: whole minutes a mailed link works. */
  linkLifetime: PluralText;
  emailConfirmationSubject: string;
  emailConfirmationIntro: string;
  emailConfirmationOutro: string;
  emailInUseSubject: string;
  emailInUseBody: string;
  emailChangedSubject: string;
  /** `{email}`: the new address, masked. */
  emailChangedBody: string;
  emailChangeAskedSubject: string;
  /** `{email}`: the new address, masked. */
  emailChangeAskedBody: string;
  passwordResetSubject: string;
  passwordResetIntro: string;
  passwordResetOutro: string;
  passwordChangedSubject: string;
  passwordChangedBody: string;
  /** `{inviter}`, `{organization}` */
  invitationSubject: string;
  /** `{inviter}`, `{organization}`, `{expires}`: the date and time the link stops working, in UTC. */
  invitationIntro: string;
  invitationOutro: string;
  offlineMessageSubject: string;
  /** `{name}`: the name the visitor gave. */
  offlineMessageSubjectNamed: string;
  /** `{sender}`: the visitor's name or `aVisitor`; `{email}`: the address they gave. */
  offlineMessageIntro: string;
  aVisitor: string;
  offlineMessageOutro: string;
  missedChatSubject: string;
  /** `{name}`: the name the visitor gave. */
  missedChatSubjectNamed: string;
  /** `{visitor}`: the visitor's name or `aVisitor`; `{time}`: when the chat started, in UTC. */
  missedChatIntro: string;
  missedChatLink: string;
  missedChatOutro: string;
  /** For someone whose name the mail does not know. */
  greetingWithoutName: string;
  signupInUseSubject: string;
  /** `{base}`: the address of this Parley installation. */
  signupInUseBody: string;
}

export const AGENT_MAIL_STRINGS: Record<ServerLanguage, AgentMailStrings> = { en, de };

/**
 * The language of a mail to an agent: the one they chose for their dashboard; else, when a request caused the mail,
 * the language of that request (the page they, or the person inviting them, had open); else English.
 */
export function agentMailLanguage(
  chosen: DashboardLanguage | null | undefined,
  acceptLanguage?: string | undefined,
): ServerLanguage {
  return chosen ?? requestLanguage(acceptLanguage);
}

/** A moment as the language writes a date and time, in UTC so that every reader sees the same one. */
export function mailDateTime(language: ServerLanguage, at: number): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(at);
}
