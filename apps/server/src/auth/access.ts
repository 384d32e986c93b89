import { timingSafeEqual } from 'node:crypto';
import { hasSecondFactor, sha256 } from '@parley/db';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { authenticate, CSRF_HEADER } from './agent-session.ts';
import { type Access, canSeeConversation, grants, ROUTE_ACCESS } from './rights.ts';
import { agentOwner, secondFactorRequired } from './second-factor.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfMatches(header: string | undefined, storedHash: string): boolean {
  if (!header || header.length > 200) return false;
  const given = Buffer.from(sha256(header), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The refusal for a signed-in agent whose role lacks what `access` needs. */
export const refusal = (access: Access): AppError =>
  access === 'ownership'
    ? new AppError('owner_only', "Only the account's owner can do this.")
    : new AppError('forbidden', 'Your role in this account does not allow this.');

/**
 * The guard on every dashboard route: it looks the route up in the rights table (`ROUTE_ACCESS`) and lets the request
 * through only as the table says: signed in, with the session's CSRF token for state-changing methods (the
 * same-origin check runs before this), and holding the right. A route missing from the table is refused, so nothing
 * is open by omission.
 */
export function guardRoute(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = `${c.req.method === 'HEAD' ? 'GET' : c.req.method} ${c.req.routePath}`;
    const access = ROUTE_ACCESS[route];
    if (access === undefined || access === 'api_key')
      throw new Error(`${route} is not a dashboard route of the rights table`);
    if (access === 'public') return next();
    const auth = await authenticate(s, c);
    if (!auth) throw new AppError('unauthorized', 'Sign in first.');
    // SEC-1: an owner's sign-in from before the installation required a second factor works only once they have one.
    if (secondFactorRequired(s, auth.agent) && !(await hasSecondFactor(s.db, agentOwner(auth.agent.id))))
      throw new AppError('unauthorized', 'Sign in again to set up your second factor.');
    if (
      !SAFE_METHODS.has(c.req.method) &&
      !csrfMatches(c.req.header(CSRF_HEADER), auth.session.csrfTokenHash)
    )
      throw new AppError('csrf_failed', 'This request needs the {header} header from sign-in.', {
        values: { header: CSRF_HEADER },
      });
    if (!grants(auth.agent.role, access)) throw refusal(access);
    c.set('auth', auth);
    await next();
  };
}

/** The row-level check for one conversation: another agent's chat is refused to a plain agent. */
export function assertCanSee(
  auth: AgentAuth,
  conversation: {
    status: string;
    agentId?: string | null | undefined;
    spamReportedBy?: string | null | undefined;
  },
): void {
  if (!canSeeConversation(auth.agent, conversation))
    throw new AppError('forbidden', 'This conversation is another agent’s.');
}
