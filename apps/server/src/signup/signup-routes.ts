import {
  confirmSignup,
  findPendingSignup,
  hashPassword,
  newSecret,
  queueMail,
  renewSignupLink,
  savePendingSignup,
  sha256,
  transaction,
  useInstallationToken,
} from '@parley/db';
import { findAgentByEmail, getAgent, normalizeEmail, writeAudit } from '@parley/db/chat';
import { retryAfterSeconds, signUpThrottledMessage } from '@parley/live';
import {
  declaresSignups,
  fill,
  LANGUAGES,
  type Language,
  signupTermsText,
  versionInForce,
} from '@parley/policy';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../access-log/access-log.ts';
import { publicBase } from '../agents/invitations.ts';
import { guardRoute } from '../auth/access.ts';
import { EmailAddress, NewPassword } from '../auth/new-password.ts';
import { AppError, readJson } from '../errors.ts';
import { AGENT_MAIL_STRINGS } from '../mail/agent-mail-strings.ts';
import { fillIn } from '../mail/visitor-mail-strings.ts';
import type { AppEnv, Services } from '../services.ts';
import { checkFormToken, HONEYPOT_FIELD, issueFormToken } from './signup-form.ts';

// COL-1, COL-4: a business signs up from the public site, as the operator allows (PARLEY_SIGNUP). The sign-up waits,
// unconfirmed, until its owner opens the link mailed to the address given; only then is it an account, in the
// installation's region, with a consent record of the policy version and the text shown.

/** How long a confirmation link works; the policy keeps an unconfirmed sign-up exactly as long. */
export const CONFIRMATION_LIFETIME_MS = 48 * 60 * 60_000;
/** A confirmation mail may be sent five times in all, and again only two minutes after the last. */
export const RESEND_LIMIT = { maxMails: 5, minGapMs: 2 * 60_000 };

/** Optional text: blank means not given. */
const optionalText = (max: number, rule?: { pattern: RegExp; message: string }) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((text) => !rule || text === '' || rule.pattern.test(text), { message: rule?.message ?? '' })
    .optional()
    .transform((text) => (text ? text : null));

export const SignUp = z.object({
  organization: z.string().trim().min(1, { message: "give your business's name" }).max(200),
  ownerName: z.string().trim().min(1, { message: 'give your name' }).max(80),
  email: EmailAddress,
  password: NewPassword,
  phone: optionalText(40, {
    pattern: /^\+?[0-9 ().-]{5,40}$/,
    message: 'the phone number may hold digits, spaces, brackets, dots, dashes and a leading +',
  }),
  imHandle: optionalText(100),
  invitationCode: z.string().trim().max(200).optional(),
  /** The version of the policy whose text the page showed. */
  policyVersion: z.string().max(20),
  /** The language the page showed that text in (`/de/signup` shows German); the consent record hashes that text. */
  language: z.enum(LANGUAGES).default('en'),
  formToken: z.string().max(200),
  /** The honeypot: people never see it, so it arrives empty from them. */
  [HONEYPOT_FIELD]: z.string().max(2000).default(''),
});
export type SignUp = z.infer<typeof SignUp>;

export const ConfirmSignup = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
export const ResendConfirmation = z.object({ email: EmailAddress });

const CLOSED = 'Sign-up is closed on this Parley installation. Ask the people who run it for an account.';
const LINK_INVALID =
  'This confirmation link is not valid: it has been used already, a newer one was mailed, or it has expired. ' +
  'Sign up again to get a new one.';
const RESEND_ANSWER =
  'If a sign-up is waiting for this address, a new confirmation link is on its way. Older links stop working.';

/** The confirmation page in the language of the sign-up page; the token is in the fragment, which no server sees. */
const confirmationLink = (base: string, token: string, language: Language) =>
  `${base}${language === 'de' ? '/de' : ''}/signup/confirm#${token}`;

/** The confirmation mail, in the language the sign-up page was in. */
const CONFIRMATION_MAIL: Record<Language, { subject: string; body: string; until: (at: Date) => string }> = {
  en: {
    subject: 'Confirm your email address to open {organization} on Parley',
    body: 'Hello {name},\n\nSomeone, we hope you, signed {organization} up for Parley at {base}.\nOpen this link to confirm your email address and open the account. It works once, until\n{until}:\n\n{link}\n\nIf you did not sign up, ignore this mail: the sign-up is deleted when the link expires.',
    until: (at) => at.toUTCString(),
  },
  de: {
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse, um {organization} bei Parley zu eröffnen',
    body: 'Guten Tag {name},\n\njemand, hoffentlich Sie, hat {organization} unter {base} bei Parley registriert.\nÖffnen Sie diesen Link, um Ihre E-Mail-Adresse zu bestätigen und das Konto zu eröffnen. Er gilt einmal, bis\n{until}:\n\n{link}\n\nWenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail: Die Registrierung wird gelöscht, sobald der Link abläuft.',
    until: (at) =>
      `${at.toLocaleString('de-DE', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} (UTC)`,
  },
};

const confirmationMail = (input: {
  ownerName: string;
  organization: string;
  base: string;
  token: string;
  expiresAt: number;
  language: Language;
}) => {
  const mail = CONFIRMATION_MAIL[input.language];
  const values = {
    name: input.ownerName,
    organization: input.organization,
    base: input.base,
    until: mail.until(new Date(input.expiresAt)),
    link: confirmationLink(input.base, input.token, input.language),
  };
  return { subject: fill(mail.subject, values), body: fill(mail.body, values) };
};

export function signupRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);
  const mode = () => s.config.signup ?? 'off';

  /** Counts a sign-up or a resend against the client address and the email address, on every node alike. */
  const throttle = async (c: Context<AppEnv>, email: string) => {
    const attempt = { email: normalizeEmail(email), address: clientAddress(c, s.config.trustProxy) };
    const verdict = await s.signupThrottle.reserve(attempt);
    if (!verdict.allowed)
      throw new AppError('rate_limited', signUpThrottledMessage(verdict), {
        headers: {
          'Retry-After': retryAfterSeconds(verdict),
        },
      });
    await s.signupThrottle.record(attempt, 'failed');
  };

  /** What the sign-up page needs before it shows the form: whether it may, and a freshly signed form token. */
  routes.get('/signup/form', guarded, (c) => {
    const version = versionInForce(s.policy, s.clock.now());
    return c.json({
      mode: mode(),
      // CHG-1: until a version that declares how long sign-ups are kept applies, nobody can sign up.
      available: declaresSignups(version),
      policyVersion: version.version,
      formToken: issueFormToken(s.secrets.csrfKey, s.clock.now()),
      honeypot: HONEYPOT_FIELD,
    });
  });

  routes.post('/signup', guarded, async (c) => {
    if (mode() === 'off') throw new AppError('signup_closed', CLOSED);
    const body = await readJson(c, SignUp);
    const now = s.clock.now();
    if (body[HONEYPOT_FIELD] !== '')
      throw new AppError(
        'form_refused',
        'A field that people do not see was filled in, as programs do. If you are a person, reload the page and fill in only the fields you see.',
      );
    const form = checkFormToken(s.secrets.csrfKey, body.formToken, now);
    if (!form.ok) throw new AppError('form_refused', form.message);
    const version = versionInForce(s.policy, now);
    if (!declaresSignups(version))
      throw new AppError(
        'unavailable',
        'Sign-up opens once the privacy policy that covers it applies on this installation. Try again later.',
      );
    if (body.policyVersion !== version.version)
      throw new AppError(
        'conflict',
        'The privacy policy changed while this page was open. Reload the page to read the new version, then sign up.',
      );
    if (mode() === 'invite' && !body.invitationCode)
      throw new AppError('invitation_required', 'Sign-up on this installation needs an invitation code.');
    await throttle(c, body.email);

    const email = normalizeEmail(body.email);
    const token = newSecret();
    const expiresAt = now + CONFIRMATION_LIFETIME_MS;
    const base = publicBase(s, c);
    const passwordHash = await hashPassword(body.password);
    await transaction(s.db, async () => {
      if (
        mode() === 'invite' &&
        !(await useInstallationToken(s.db, 'signup_invitation', sha256(body.invitationCode ?? ''), now))
      )
        throw new AppError(
          'invitation_required',
          'This invitation code is not valid: it has been used already or has expired. Ask for a new one.',
        );
      // An address that already signs in somewhere gets a mail saying so, and the page answers as for any other:
      // the form does not tell strangers who uses Parley.
      const existing = await findAgentByEmail(s.db, email);
      if (existing) {
        // In the language its holder chose for their dashboard, else in the sign-up page's.
        const holder = existing.removed ? null : await getAgent(s.db, existing.id, existing.accountId);
        const words = AGENT_MAIL_STRINGS[holder?.language ?? body.language];
        await queueMail(s.db, {
          kind: 'signup_confirmation',
          to: email,
          subject: words.signupInUseSubject,
          body: [words.greetingWithoutName, '', fillIn(words.signupInUseBody, { base })].join('\n'),
          now,
        });
        return;
      }
      const signup = {
        organization: body.organization,
        ownerName: body.ownerName,
        email,
        passwordHash,
        phone: body.phone,
        imHandle: body.imHandle,
      };
      await savePendingSignup(s.db, {
        ...signup,
        tokenHash: sha256(token),
        policyVersion: version.version,
        // The exact text the page showed for this version, in the language it showed it in: the same function
        // wrote it there.
        textHash: sha256(signupTermsText(version, body.language)),
        language: body.language,
        expiresAt,
        now,
      });
      await queueMail(s.db, {
        kind: 'signup_confirmation',
        to: email,
        ...confirmationMail({ ...signup, base, token, expiresAt, language: body.language }),
        now,
      });
    });
    return c.json({ email, expiresAt: new Date(expiresAt).toISOString() }, 202);
  });

  routes.post('/signup/confirm', guarded, async (c) => {
    const { token } = await readJson(c, ConfirmSignup);
    const confirmed = await confirmSignup(s.db, {
      tokenHash: sha256(token),
      region: s.content.regions.installation,
      now: s.clock.now(),
    });
    if (!confirmed.ok)
      throw confirmed.reason === 'email_taken'
        ? new AppError(
            'email_taken',
            'This email address got a Parley sign-in since you signed up, and one address can belong to one team only. Sign in with it, or sign up with another address.',
          )
        : new AppError('not_found', LINK_INVALID);
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: confirmed.agentId,
      accountId: confirmed.accountId,
      action: 'account.signed_up',
    });
    return c.json({ email: confirmed.email, signIn: `${publicBase(s, c)}/app` }, 201);
  });

  routes.post('/signup/resend', guarded, async (c) => {
    const { email } = await readJson(c, ResendConfirmation);
    await throttle(c, email);
    const now = s.clock.now();
    const pending = await findPendingSignup(s.db, email, now);
    if (pending) {
      const token = newSecret();
      const base = publicBase(s, c);
      const sent = await transaction(s.db, async () => {
        const renewed = await renewSignupLink(s.db, {
          id: pending.id,
          tokenHash: sha256(token),
          limit: RESEND_LIMIT,
          now,
        });
        if (renewed)
          await queueMail(s.db, {
            kind: 'signup_confirmation',
            to: pending.email,
            ...confirmationMail({ ...pending, base, token }),
            now,
          });
        return renewed;
      });
      if (!sent)
        throw new AppError(
          'rate_limited',
          pending.mailsSent >= RESEND_LIMIT.maxMails
            ? 'This sign-up has had all the confirmation mails it can get. Sign up again to start over.'
            : 'A confirmation mail went to this address less than two minutes ago. Look for it, also among spam, or ask again in a few minutes.',
        );
    }
    return c.json({ message: RESEND_ANSWER }, 202);
  });

  return routes;
}
