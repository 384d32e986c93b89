import { queueMail } from '@parley/db';
import type { ServerLanguage } from '../i18n/language.ts';
import type { Services } from '../services.ts';
import { AGENT_MAIL_STRINGS, type AgentMailStrings } from './agent-mail-strings.ts';
import { fillIn, pluralText } from './visitor-mail-strings.ts';

// RET-2: the mail about a person's own sign-in: links that confirm a new email or reset a password, and notices
// that something changed, in the person's language (see `agentMailLanguage`). Every mail goes through the outbox,
// queued inside the transaction of what caused it where there is one.

/** An address shown in a notice to someone else's mailbox: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export interface Person {
  accountId: string;
  name: string;
  /** The language the mail is written in: `agentMailLanguage` picks it. */
  language: ServerLanguage;
}

/** A mail's text: its subject and the lines between the greeting and the sign-off. */
type MailText = (words: AgentMailStrings) => { subject: string; lines: string[] };

async function send(s: Services, person: Person, to: string, text: MailText): Promise<void> {
  const words = AGENT_MAIL_STRINGS[person.language];
  const { subject, lines } = text(words);
  await queueMail(s.db, {
    kind: 'account_security',
    to,
    accountId: person.accountId,
    subject,
    body: [fillIn(words.greeting, { name: person.name }), '', ...lines, '', words.signOff].join('\n'),
    now: s.clock.now(),
  });
}

/** The lines around a single-use link: what it does, how long it works, the link, and what if it was not asked for. */
function linkLines(
  person: Person,
  words: AgentMailStrings,
  intro: string,
  outro: string,
  input: { link: string; lifetimeMs: number },
): string[] {
  const lifetime = pluralText(person.language, words.linkLifetime, Math.round(input.lifetimeMs / 60_000));
  return [intro, lifetime, '', input.link, '', outro];
}

/** To the new address: the link that makes it the sign-in email. */
export const mailEmailConfirmation = (
  s: Services,
  person: Person,
  input: { to: string; link: string; lifetimeMs: number },
) =>
  send(s, person, input.to, (words) => ({
    subject: words.emailConfirmationSubject,
    lines: linkLines(person, words, words.emailConfirmationIntro, words.emailConfirmationOutro, input),
  }));

/**
 * To the new address when it already belongs to someone else's sign-in: no link, and the person who asked is told
 * nothing different, so that the form does not reveal who uses Parley.
 */
export const mailEmailInUse = (s: Services, person: Person, input: { to: string }) =>
  send(s, person, input.to, (words) => ({
    subject: words.emailInUseSubject,
    lines: [words.emailInUseBody],
  }));

/** To the old address, when a change is asked for and again once it is confirmed. */
export const mailEmailChangeNotice = (
  s: Services,
  person: Person,
  input: { to: string; newEmail: string; done: boolean },
) =>
  send(s, person, input.to, (words) => ({
    subject: input.done ? words.emailChangedSubject : words.emailChangeAskedSubject,
    lines: [
      fillIn(input.done ? words.emailChangedBody : words.emailChangeAskedBody, {
        email: maskEmail(input.newEmail),
      }),
    ],
  }));

/** To a person who asked to reset a forgotten password. */
export const mailPasswordReset = (
  s: Services,
  person: Person,
  input: { to: string; link: string; lifetimeMs: number },
) =>
  send(s, person, input.to, (words) => ({
    subject: words.passwordResetSubject,
    lines: linkLines(person, words, words.passwordResetIntro, words.passwordResetOutro, input),
  }));

/** To a person whose password changed, whichever way. */
export const mailPasswordChanged = (s: Services, person: Person, input: { to: string }) =>
  send(s, person, input.to, (words) => ({
    subject: words.passwordChangedSubject,
    lines: [words.passwordChangedBody],
  }));
