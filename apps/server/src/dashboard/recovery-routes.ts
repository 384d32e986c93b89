import { hashPassword, newSecret, sha256 } from '@parley/db';
import {
  createPersonLink,
  findAgentForSignIn,
  findPersonLink,
  getAccount,
  getAgent,
  normalizeEmail,
  resetPassword,
  writeAudit,
} from '@parley/db/chat';
import { retryAfterSeconds } from '@parley/live';
import { Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../access-log/access-log.ts';
import { publicBase } from '../agents/invitations.ts';
import { guardRoute } from '../auth/access.ts';
import { endSessionsOf } from '../auth/agent-session.ts';
import { linkTokenHash } from '../auth/link-tokens.ts';
import { NewPassword } from '../auth/new-password.ts';
import { AppError, readJson } from '../errors.ts';
import { mailPasswordChanged, mailPasswordReset } from '../mail/account-mail.ts';
import { agentMailLanguage } from '../mail/agent-mail-strings.ts';
import type { AppEnv, Services } from '../services.ts';

// RET-2: "forgot password". Anyone may ask for a link for an email; the answer is the same whether or not the email
// has a sign-in, so the form reveals nothing. The link works once, for 30 minutes, and setting a password through
// it ends every sign-in of that person.

export const RESET_LINK_LIFETIME_MS = 30 * 60_000;

export const ResetRequest = z.object({ email: z.string().trim().min(3).max(254) });
export type ResetRequest = z.infer<typeof ResetRequest>;

export const ResetPassword = z.object({ password: NewPassword });
export type ResetPassword = z.infer<typeof ResetPassword>;

const NOT_FOUND =
  'This password link is not valid: it may have been used already, been replaced by a newer one or have expired. Ask for a new one.';
const ASKED =
  'If this address signs in to Parley, a link to choose a new password is on its way. It works once, for 30 minutes.';

export function recoveryRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  // Every route passes the guard, which enforces the rights table for it.
  const guarded = guardRoute(s);

  routes.post('/password-reset', guarded, async (c) => {
    const email = normalizeEmail((await readJson(c, ResetRequest)).email);
    // Counted for every email, known or not, so that the limit itself tells nothing.
    const verdict = await s.mailLinks.take({ email, address: clientAddress(c, s.config.trustProxy) });
    if (!verdict.allowed)
      throw new AppError(
        'rate_limited',
        verdict.limitedBy === 'email'
          ? 'A password link was asked for this address several times already. Check the mailbox, or try again later.'
          : 'Too many password links were asked for from your network. Try again later.',
        { headers: { 'Retry-After': retryAfterSeconds(verdict) } },
      );
    const agent = await findAgentForSignIn(s.db, email);
    const account = agent ? await getAccount(s.db, agent.accountId) : null;
    if (agent && account) {
      const token = newSecret();
      const now = s.clock.now();
      await createPersonLink(s.db, {
        agentId: agent.id,
        purpose: 'password_reset',
        tokenHash: sha256(token),
        expiresAt: now + RESET_LINK_LIFETIME_MS,
        now,
      });
      await mailPasswordReset(
        s,
        {
          accountId: account.id,
          name: agent.name,
          language: agentMailLanguage(agent.language, c.req.header('accept-language')),
        },
        {
          to: agent.email,
          link: `${publicBase(s, c)}/app/#/reset-password/${token}`,
          lifetimeMs: RESET_LINK_LIFETIME_MS,
        },
      );
      await writeAudit(s.db, {
        actorKind: 'agent',
        actorId: agent.id,
        accountId: account.id,
        action: 'agent.password_reset_asked',
      });
    }
    return c.json({ message: ASKED }, 202);
  });

  routes.get('/password-reset/:token', guarded, async (c) => {
    const tokenHash = linkTokenHash(c.req.param('token'), NOT_FOUND);
    const link = await findPersonLink(s.db, { tokenHash, purpose: 'password_reset', now: s.clock.now() });
    if (!link) throw new AppError('not_found', NOT_FOUND);
    return c.json({ email: link.email, expiresAt: new Date(link.expiresAt).toISOString() });
  });

  routes.post('/password-reset/:token', guarded, async (c) => {
    const tokenHash = linkTokenHash(c.req.param('token'), NOT_FOUND);
    const { password } = await readJson(c, ResetPassword);
    const link = await findPersonLink(s.db, { tokenHash, purpose: 'password_reset', now: s.clock.now() });
    if (!link) throw new AppError('not_found', NOT_FOUND);
    const reset = await resetPassword(s.db, {
      tokenHash,
      passwordHash: await hashPassword(password),
      now: s.clock.now(),
    });
    if (!reset) throw new AppError('not_found', NOT_FOUND);
    // Whoever knew the old password is out: every sign-in ends and its sockets close on every node.
    await endSessionsOf(s, reset, 'password_changed');
    const agent = await getAgent(s.db, reset.agentId, reset.accountId);
    await mailPasswordChanged(
      s,
      {
        accountId: link.accountId,
        name: link.name,
        language: agentMailLanguage(agent?.language, c.req.header('accept-language')),
      },
      { to: link.email },
    );
    await writeAudit(s.db, {
      actorKind: 'agent',
      actorId: reset.agentId,
      accountId: reset.accountId,
      action: 'agent.password_reset',
    });
    return c.json({ email: link.email });
  });

  return routes;
}
