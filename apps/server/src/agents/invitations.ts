import { hashPassword, newSecret, queueMail, sha256 } from '@parley/db';
import {
  acceptInvitation,
  createInvitation,
  findAgentByEmail,
  findOpenInvitation,
  getAccount,
  getAgent,
  normalizeEmail,
  writeAudit,
} from '@parley/db/chat';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { startSession } from '../auth/agent-session.ts';
import { linkTokenHash } from '../auth/link-tokens.ts';
import { EmailAddress, NewPassword } from '../auth/new-password.ts';
import { accountJson, signedInAgentJson } from '../dashboard/dashboard-json.ts';
import { AppError, readJson } from '../errors.ts';
import { AGENT_MAIL_STRINGS, agentMailLanguage, mailDateTime } from '../mail/agent-mail-strings.ts';
import { fillIn } from '../mail/visitor-mail-strings.ts';
import type { AppEnv, Services } from '../services.ts';

// COL-2: an agent is invited by email and name, and sets their own password through a one-time link. Only the
// token's hash is stored; the link is shown once to the owner and mailed once to the agent, and it expires.

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export const Invite = z.object({
  email: EmailAddress,
  name: z.string().trim().min(1, { message: 'give a name or an alias' }).max(80),
});
export type Invite = z.infer<typeof Invite>;

export const AcceptInvitation = z.object({
  password: NewPassword,
});
export type AcceptInvitation = z.infer<typeof AcceptInvitation>;

const NOT_FOUND = 'This invitation link is not valid: it may have been used already or have expired.';
const IN_USE =
  'This email address already has a Parley sign-in, and one address can belong to one team only. Sign in with ' +
  'it and its password instead, or ask the person who invited you to invite another address.';

/** Where links in mail point: the configured public URL, else the origin of the page that asked. */
export function publicBase(s: Services, c: Context): string {
  if (s.config.publicUrl) return s.config.publicUrl;
  const origin = c.req.header('origin');
  return origin && /^https?:\/\/[^/]+$/.test(origin) ? origin : new URL(c.req.url).origin;
}

const tokenHashOf = (token: string): string => linkTokenHash(token, NOT_FOUND);

export function invitationRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.post('/invitations', guarded, async (c) => {
    const { agent: owner, account } = c.get('auth');
    const { email, name } = await readJson(c, Invite);
    // Only the owner's own team is told apart. An address held in another account gets the same invitation,
    // mail and answer as a free one, so that inviting cannot test who uses Parley elsewhere; its holder learns
    // at acceptance (IN_USE).
    const existing = await findAgentByEmail(s.db, email);
    if (existing && existing.accountId === account.id && !existing.removed)
      throw new AppError('email_taken', 'This email address already belongs to an agent of your team.');
    const token = newSecret();
    const now = Date.now();
    const expiresAt = now + INVITATION_LIFETIME_MS;
    const { id } = await createInvitation(s.db, {
      accountId: account.id,
      email,
      name,
      tokenHash: sha256(token),
      invitedBy: owner.id,
      expiresAt,
      now,
    });
    const link = `${publicBase(s, c)}/app/#/invite/${token}`;
    // The invitee has no profile yet: they are written to in the language of the inviter's dashboard.
    const language = agentMailLanguage(null, c.req.header('accept-language'));
    const words = AGENT_MAIL_STRINGS[language];
    const names = { inviter: owner.name, organization: account.organization };
    await queueMail(s.db, {
      kind: 'invitation',
      to: normalizeEmail(email),
      accountId: account.id,
      subject: fillIn(words.invitationSubject, names),
      body: [
        fillIn(words.greeting, { name }),
        '',
        fillIn(words.invitationIntro, { ...names, expires: mailDateTime(language, expiresAt) }),
        '',
        link,
        '',
        words.invitationOutro,
      ].join('\n'),
      now,
    });
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: owner.id,
      accountId: account.id,
      action: 'agent.invited',
      detail: { invitationId: id },
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ link, expiresAt: new Date(expiresAt).toISOString() }, 201);
  });

  routes.get('/invitations/:token', guarded, async (c) => {
    const invitation = await findOpenInvitation(s.db, tokenHashOf(c.req.param('token')));
    if (!invitation) throw new AppError('not_found', NOT_FOUND);
    return c.json({ email: invitation.email, name: invitation.name, organization: invitation.organization });
  });

  routes.post('/invitations/:token/accept', guarded, async (c) => {
    const tokenHash = tokenHashOf(c.req.param('token'));
    const { password } = await readJson(c, AcceptInvitation);
    if (!(await findOpenInvitation(s.db, tokenHash))) throw new AppError('not_found', NOT_FOUND);
    const accepted = await acceptInvitation(s.db, { tokenHash, passwordHash: await hashPassword(password) });
    if (!accepted.ok)
      throw accepted.reason === 'email_taken'
        ? new AppError('email_taken', IN_USE)
        : new AppError('not_found', NOT_FOUND);
    const agent = await getAgent(s.db, accepted.agentId, accepted.accountId);
    const account = await getAccount(s.db, accepted.accountId);
    if (!agent || !account) throw new AppError('not_found', NOT_FOUND);
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: agent.id,
      accountId: account.id,
      action: 'agent.joined',
    });
    const { csrfToken } = await startSession(s, c, agent, {});
    return c.json({ agent: signedInAgentJson(agent), account: accountJson(account), csrfToken }, 201);
  });

  return routes;
}
