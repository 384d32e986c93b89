import { queueMail } from '@parley/db';
import type { Services } from '../services.ts';

// RET-2: the mail about a person's own sign-in: links that confirm a new email or reset a password, and notices
// that something changed. People have no language setting yet, so the text is English. Every mail goes through
// the outbox, queued inside the transaction of what caused it where there is one.

/** An address shown in a notice to someone else's mailbox: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

interface Person {
  accountId: string;
  name: string;
}

const SIGN_OFF = ['', '— Parley'];

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} minutes`;

async function send(
  s: Services,
  person: Person,
  to: string,
  subject: string,
  lines: string[],
): Promise<void> {
  await queueMail(s.db, {
    kind: 'account_security',
    to,
    accountId: person.accountId,
    subject,
    body: [`Hello ${person.name},`, '', ...lines, ...SIGN_OFF].join('\n'),
    now: s.clock.now(),
  });
}

/** To the new address: the link that makes it the sign-in email. */
export const mailEmailConfirmation = (
  s: Services,
  person: Person,
  input: { to: string; link: string; lifetimeMs: number },
) =>
  send(s, person, input.to, 'Confirm your new Parley sign-in email', [
    'You asked to sign in to Parley with this address from now on. Open this link to confirm it.',
    `It works once, for ${minutes(input.lifetimeMs)}:`,
    '',
    input.link,
    '',
    'Until you confirm, your old address stays your sign-in. If you did not ask for this, ignore this email.',
  ]);

/**
 * To the new address when it already belongs to someone else's sign-in: no link, and the person who asked is told
 * nothing different, so that the form does not reveal who uses Parley.
 */
export const mailEmailInUse = (s: Services, person: Person, input: { to: string }) =>
  send(s, person, input.to, 'Your Parley sign-in email was not changed', [
    'Someone asked to make this address their Parley sign-in email, but it already belongs to a Parley sign-in,',
    'and one address can belong to one person only. Nothing has changed. If it was you, sign in with this address',
    'instead, or choose another.',
  ]);

/** To the old address, when a change is asked for and again once it is confirmed. */
export const mailEmailChangeNotice = (
  s: Services,
  person: Person,
  input: { to: string; newEmail: string; done: boolean },
) =>
  input.done
    ? send(s, person, input.to, 'Your Parley sign-in email has changed', [
        `Your Parley sign-in email is now ${maskEmail(input.newEmail)}. This address no longer signs you in.`,
        'If you did not make this change, ask your account’s owner or this Parley installation’s operator for help.',
      ])
    : send(s, person, input.to, 'A change of your Parley sign-in email was asked for', [
        `Someone signed in as you asked to change your Parley sign-in email to ${maskEmail(input.newEmail)}.`,
        'Nothing changes until the link mailed to that address is opened. If it was not you, change your password',
        'now: that ends every other sign-in.',
      ]);

/** To a person who asked to reset a forgotten password. */
export const mailPasswordReset = (
  s: Services,
  person: Person,
  input: { to: string; link: string; lifetimeMs: number },
) =>
  send(s, person, input.to, 'Reset your Parley password', [
    'Someone, probably you, asked to reset your Parley password. Open this link to choose a new one.',
    `It works once, for ${minutes(input.lifetimeMs)}:`,
    '',
    input.link,
    '',
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ]);

/** To a person whose password changed, whichever way. */
export const mailPasswordChanged = (s: Services, person: Person, input: { to: string }) =>
  send(s, person, input.to, 'Your Parley password has changed', [
    'Your Parley password has just been changed, and your other sign-ins have ended.',
    'If you did not do this, use "Forgot your password?" on the sign-in page at once, and tell your account’s owner.',
  ]);
