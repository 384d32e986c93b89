import { checkPassword, hashPassword, newSecret, sha256 } from '@parley/db';
import {
  type AgentProfile,
  confirmEmailChange,
  createPersonLink,
  DASHBOARD_LANGUAGES,
  emailBelongsToAnother,
  getAgent,
  getPasswordHash,
  getProfile,
  listLiveSessionsOf,
  normalizeEmail,
  pendingEmailOf,
  setPasswordHash,
  updateProfile,
  writeAudit,
} from '@parley/db/chat';
import { retryAfterSeconds, throttledMessage, throttledSignIn } from '@parley/live';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../access-log/access-log.ts';
import { publicBase } from '../agents/invitations.ts';
import { guardRoute } from '../auth/access.ts';
import { endOtherSessions, endSessionsOf } from '../auth/agent-session.ts';
import { linkTokenHash } from '../auth/link-tokens.ts';
import { NewPassword } from '../auth/new-password.ts';
import { iso } from '../chat/summaries.ts';
import { AppError, readJson } from '../errors.ts';
import {
  mailEmailChangeNotice,
  mailEmailConfirmation,
  mailEmailInUse,
  mailPasswordChanged,
  type Person,
} from '../mail/account-mail.ts';
import { agentMailLanguage } from '../mail/agent-mail-strings.ts';
import { fieldsGiven, refuseUndeclared } from '../privacy/undeclared-data.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';

// RET-2: a person corrects their own data from the dashboard: name and profile, sign-in email (confirmed by a link
// to the new address, with a notice to the old one) and password; and lists and ends their own sign-ins.

/** A link that confirms a new email lasts an hour: long enough to switch to the other mailbox, short if stolen. */
export const EMAIL_LINK_LIFETIME_MS = 60 * 60_000;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable();

export const ProfileChange = z
  .object({
    name: z.string().trim().min(1, { message: 'give a name or an alias' }).max(80),
    /** What visitors see; cleared with null or an empty string. */
    displayName: optionalText(80),
    initials: optionalText(3).refine((value) => value === null || /^\p{L}{1,3}$/u.test(value), {
      message: 'initials are one to three letters',
    }),
    /** The dashboard's language; null to follow the browser again. */
    language: z.enum(DASHBOARD_LANGUAGES).nullable(),
    notifications: z
      .object({ sound: z.boolean(), desktop: z.boolean(), missedChatMail: z.boolean() })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type ProfileChange = z.infer<typeof ProfileChange>;

export const EmailChange = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ message: 'the email address is not valid' })),
  password: z.string().min(1).max(1024),
});
export type EmailChange = z.infer<typeof EmailChange>;

export const PasswordChange = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: NewPassword,
});
export type PasswordChange = z.infer<typeof PasswordChange>;

const WRONG_PASSWORD = 'Your current password is not right.';
const LINK_NOT_FOUND =
  'This link is not valid: it may have been used already, been replaced or have expired.';
const EMAIL_IN_USE =
  'This email address already belongs to another Parley sign-in, so it cannot become yours. Ask for the change again with another address.';

/** A session as its owner sees it: a handle derived from the id (never the id itself), and its times. */
const sessionHandle = (sessionId: string): string => sha256(`session:${sessionId}`).slice(0, 32);

function profileJson(profile: AgentProfile, email: string, pendingEmail: string | null) {
  return {
    name: profile.name,
    email,
    pendingEmail,
    displayName: profile.displayName,
    initials: profile.initials,
    language: profile.language,
    notifications: {
      sound: profile.notifySound,
      desktop: profile.notifyDesktop,
      missedChatMail: profile.notifyMissedMail,
    },
  };
}

/** The signed-in person as their mail addresses them, in their chosen language or else the dashboard's. */
const person = (auth: AgentAuth, c: Context): Person => ({
  accountId: auth.account.id,
  name: auth.agent.name,
  language: agentMailLanguage(auth.agent.language, c.req.header('accept-language')),
});

/**
 * Checks the signed-in person's current password through the sign-in throttle, keyed by their email: a stolen
 * session cannot be used to guess the password faster than the sign-in form could.
 */
async function assertCurrentPassword(
  s: Services,
  c: Parameters<typeof clientAddress>[0],
  auth: AgentAuth,
  password: string,
) {
  const attempt = { email: auth.agent.email, address: clientAddress(c, s.config.trustProxy) };
  const result = await throttledSignIn(s.throttle, attempt, async () =>
    (await checkPassword(password, await getPasswordHash(s.db, auth.agent.id))) ? true : null,
  );
  if (result.outcome === 'throttled')
    throw new AppError('rate_limited', throttledMessage(result), {
      headers: {
        'Retry-After': retryAfterSeconds(result),
      },
    });
  if (result.outcome === 'wrong') throw new AppError('invalid_credentials', WRONG_PASSWORD);
}

export function profileRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  const currentProfile = async (auth: AgentAuth) => {
    const profile = await getProfile(s.db, auth.agent.id);
    if (!profile) throw new AppError('unauthorized', 'Sign in first.');
    return profileJson(profile, auth.agent.email, await pendingEmailOf(s.db, auth.agent.id, s.clock.now()));
  };

  routes.get('/profile', guarded, async (c) => c.json(await currentProfile(c.get('auth'))));

  routes.patch('/profile', guarded, async (c) => {
    const auth = c.get('auth');
    const { notifications, ...fields } = await readJson(c, ProfileChange);
    const changes: Partial<AgentProfile> = {
      ...fields,
      ...(notifications?.sound === undefined ? {} : { notifySound: notifications.sound }),
      ...(notifications?.desktop === undefined ? {} : { notifyDesktop: notifications.desktop }),
      ...(notifications?.missedChatMail === undefined
        ? {}
        : { notifyMissedMail: notifications.missedChatMail }),
    };
    // CHG-1: notification settings are stored only once a policy version that declares them is in force.
    refuseUndeclared(s, 'agents', fieldsGiven(changes));
    if (!(await updateProfile(s.db, { accountId: auth.account.id, agentId: auth.agent.id, changes })))
      throw new AppError('unauthorized', 'Sign in first.');
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'agent.profile_changed',
      detail: { fields: Object.keys(changes) },
    });
    return c.json(
      await currentProfile({
        ...auth,
        agent: { ...auth.agent, ...(fields.name ? { name: fields.name } : {}) },
      }),
    );
  });

  routes.post('/profile/email', guarded, async (c) => {
    const auth = c.get('auth');
    const body = await readJson(c, EmailChange);
    const newEmail = normalizeEmail(body.email);
    if (newEmail === auth.agent.email)
      throw new AppError('invalid_input', 'email: this is already your sign-in email');
    await assertCurrentPassword(s, c, auth, body.password);
    const token = newSecret();
    const now = s.clock.now();
    // An address that belongs to someone else gets a link-less notice instead of a link, and the person asking
    // gets the same answer either way, so that this form does not reveal who uses Parley. The pending change is
    // stored the same way too; it can never be confirmed.
    const taken = await emailBelongsToAnother(s.db, newEmail, auth.agent.id);
    await createPersonLink(s.db, {
      agentId: auth.agent.id,
      purpose: 'email_change',
      tokenHash: sha256(token),
      newEmail,
      expiresAt: now + EMAIL_LINK_LIFETIME_MS,
      now,
    });
    const link = `${publicBase(s, c)}/app/#/confirm-email/${token}`;
    if (taken) await mailEmailInUse(s, person(auth, c), { to: newEmail });
    else
      await mailEmailConfirmation(s, person(auth, c), {
        to: newEmail,
        link,
        lifetimeMs: EMAIL_LINK_LIFETIME_MS,
      });
    await mailEmailChangeNotice(s, person(auth, c), { to: auth.agent.email, newEmail, done: false });
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'agent.email_change_asked',
    });
    return c.json(
      { pendingEmail: newEmail, expiresAt: new Date(now + EMAIL_LINK_LIFETIME_MS).toISOString() },
      202,
    );
  });

  // Public: the link may be opened in a browser where nobody is signed in. It is a POST from the page the link
  // opens, so a mail scanner fetching the link confirms nothing.
  routes.post('/email-change/:token/confirm', guarded, async (c) => {
    const tokenHash = linkTokenHash(c.req.param('token'), LINK_NOT_FOUND);
    const confirmed = await confirmEmailChange(s.db, { tokenHash, now: s.clock.now() });
    if (!confirmed.ok)
      throw confirmed.reason === 'email_taken'
        ? new AppError('email_taken', EMAIL_IN_USE)
        : new AppError('not_found', LINK_NOT_FOUND);
    const agent = await getAgent(s.db, confirmed.agentId, confirmed.accountId);
    const who = {
      accountId: confirmed.accountId,
      name: confirmed.name,
      language: agentMailLanguage(agent?.language, c.req.header('accept-language')),
    };
    await mailEmailChangeNotice(s, who, { to: confirmed.oldEmail, newEmail: confirmed.newEmail, done: true });
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: confirmed.agentId,
      accountId: confirmed.accountId,
      action: 'agent.email_changed',
    });
    return c.json({ email: confirmed.newEmail });
  });

  routes.post('/profile/password', guarded, async (c) => {
    const auth = c.get('auth');
    const body = await readJson(c, PasswordChange);
    await assertCurrentPassword(s, c, auth, body.currentPassword);
    await setPasswordHash(s.db, {
      agentId: auth.agent.id,
      passwordHash: await hashPassword(body.newPassword),
    });
    // Every other sign-in ends, and its sockets close on every node; this one stays.
    const ended = await endOtherSessions(s, auth, 'password_changed');
    await mailPasswordChanged(s, person(auth, c), { to: auth.agent.email });
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action: 'agent.password_changed',
      detail: { sessionsEnded: ended },
    });
    return c.json({ sessionsEnded: ended });
  });

  routes.get('/sessions', guarded, async (c) => {
    const { agent, session } = c.get('auth');
    const live = await listLiveSessionsOf(s.db, 'agent', agent.id, s.clock.now());
    return c.json({
      sessions: live.map((row) => ({
        id: sessionHandle(row.id),
        createdAt: iso(row.createdAt),
        expiresAt: iso(row.expiresAt),
        current: row.id === session.id,
      })),
    });
  });

  routes.delete('/sessions/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const live = await listLiveSessionsOf(s.db, 'agent', auth.agent.id, s.clock.now());
    const found = live.find((row) => sessionHandle(row.id) === c.req.param('id'));
    if (!found) throw new AppError('not_found', 'There is no such sign-in of yours.');
    await endSessionsOf(s, { accountId: auth.account.id, agentId: auth.agent.id }, 'signed_out', {
      sessionId: found.id,
    });
    return c.json({ ended: 1, current: found.id === auth.session.id });
  });

  routes.post('/sessions/end-others', guarded, async (c) => {
    const ended = await endOtherSessions(s, c.get('auth'), 'signed_out');
    return c.json({ ended });
  });

  return routes;
}
