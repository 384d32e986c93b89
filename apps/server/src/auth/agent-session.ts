import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  cookieHeaderValue,
  decideCookies,
  type SessionPayload,
  sealSession,
  unsealSession,
} from '@parley/cookies';
import { newId, sha256 } from '@parley/db';
import {
  type Agent,
  createSession,
  getAccount,
  getAgent,
  getLiveSession,
  revokeSession,
} from '@parley/db/chat';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';
import { expireCookie, issueCookie, readCookie } from './cookie-headers.ts';

/** How long a sign-in lasts, whatever the browser does with its session cookie. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** The header every state-changing dashboard request must carry. */
export const CSRF_HEADER = 'x-parley-csrf';

/**
 * A session's CSRF token, derived from its id with the installation's key: the same for the whole sign-in (so every
 * tab can ask for it), unguessable without the key, and stored only as a hash in `sessions.csrf_token_hash`.
 */
export const csrfTokenFor = (s: Services, sessionId: string): string =>
  createHmac('sha256', s.secrets.csrfKey).update(`csrf:${sessionId}`).digest('base64url');

/** Remembered emails are percent-encoded, since an address may hold characters a cookie value cannot. */
const encodeEmail = (email: string): string => encodeURIComponent(email);
function decodeEmail(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const email = decodeURIComponent(value);
    return /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(email) ? email : null;
  } catch {
    return null;
  }
}

/** CK-2: the email kept by "Remember my email", read from its HttpOnly cookie. */
export const rememberedEmail = (c: Context): string | null =>
  decodeEmail(readCookie(c, 'parley_remember_email'));

/**
 * CK-1, CK-2: signs an agent in. The session row is the server's half; the cookie holds the sealed user id, sign-in
 * time and session id. "Remember my email" sets its cookie; unticked, it removes one left from before.
 */
export async function startSession(
  s: Services,
  c: Context,
  agent: Agent,
  /** `rememberEmail` undefined leaves that cookie as it is (accepting an invitation asks nothing about it). */
  options: { rememberEmail?: boolean; now?: number },
): Promise<{ csrfToken: string }> {
  const now = options.now ?? Date.now();
  const sessionId = newId('ses');
  const csrfToken = csrfTokenFor(s, sessionId);
  await createSession(s.db, {
    id: sessionId,
    userKind: 'agent',
    userId: agent.id,
    csrfTokenHash: sha256(csrfToken),
    createdAt: now,
    expiresAt: now + SESSION_LIFETIME_MS,
  });
  const decision = decideCookies(s.cookies, {
    surface: 'dashboard',
    signedIn: true,
    rememberEmail: options.rememberEmail ?? readCookie(c, 'parley_remember_email') !== undefined,
  });
  for (const cookie of decision.allowed) {
    if (cookie.name === 'parley_session')
      issueCookie(
        c,
        s.cookies,
        cookie.name,
        sealSession({ userId: agent.id, signedInAt: now, sessionId }, s.secrets.keyring),
        cookie.lifetime,
      );
    else if (cookie.name === 'parley_remember_email' && options.rememberEmail === true)
      issueCookie(c, s.cookies, cookie.name, encodeEmail(agent.email), cookie.lifetime);
  }
  for (const cookie of decision.remove)
    if (readCookie(c, cookie.name) !== undefined) expireCookie(c, s.cookies, cookie.name);
  return { csrfToken };
}

/**
 * The signed-in agent behind a Cookie header, or null: the cookie must open with the keyring, its session must be
 * live (not signed out, not expired), the agent not removed and the account open. `stale` holds the cookie's
 * contents when they were sealed with an older key, so that the caller can seal them again.
 */
async function checkSessionCookie(
  s: Services,
  cookieHeader: string | undefined,
  now: number,
): Promise<{ auth: AgentAuth; stale: SessionPayload | null } | null> {
  const opened = unsealSession(cookieHeaderValue(cookieHeader, 'parley_session'), s.secrets.keyring, {
    maxAgeMs: SESSION_LIFETIME_MS,
    now,
  });
  if (!opened.ok) return null;
  const session = await getLiveSession(s.db, opened.session.sessionId, now);
  if (session?.userKind !== 'agent' || session.userId !== opened.session.userId) return null;
  const agent = await getAgent(s.db, session.userId);
  if (!agent) return null;
  const account = await getAccount(s.db, agent.accountId);
  if (!account) return null;
  return { auth: { agent, account, session }, stale: opened.stale ? opened.session : null };
}

/** The signed-in agent behind a request (see `checkSessionCookie`); a cookie sealed with an older key is renewed. */
export async function authenticate(s: Services, c: Context, now = Date.now()): Promise<AgentAuth | null> {
  const checked = await checkSessionCookie(s, c.req.header('cookie'), now);
  if (checked?.stale)
    issueCookie(c, s.cookies, 'parley_session', sealSession(checked.stale, s.secrets.keyring));
  return checked?.auth ?? null;
}

/**
 * The signed-in agent behind a WebSocket handshake's Cookie header. A cookie sealed with an older key stays as it
 * is: a 101 response sets no cookie, and the dashboard's next HTTP request renews it.
 */
export async function authenticateCookie(
  s: Services,
  cookieHeader: string | undefined,
  now = Date.now(),
): Promise<AgentAuth | null> {
  return (await checkSessionCookie(s, cookieHeader, now))?.auth ?? null;
}

/**
 * CK-1, CK-2: signs out. The session row is deleted, so the cookie is worthless even if a copy survives; the cookie
 * is deleted too. A remembered email stays: that is what it is for.
 */
export async function endSession(s: Services, c: Context, auth: AgentAuth | null): Promise<void> {
  if (auth) await revokeSession(s.db, auth.session.id);
  const decision = decideCookies(s.cookies, {
    surface: 'dashboard',
    signedIn: false,
    rememberEmail: readCookie(c, 'parley_remember_email') !== undefined,
  });
  for (const cookie of decision.remove) expireCookie(c, s.cookies, cookie.name);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfMatches(header: string | undefined, storedHash: string): boolean {
  if (!header || header.length > 200) return false;
  const given = Buffer.from(sha256(header), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * Lets only signed-in agents through, and for state-changing methods only with the session's CSRF token in
 * `x-parley-csrf` (the same-origin check runs before this, for every state-changing dashboard request).
 */
export function requireAgent(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await authenticate(s, c);
    if (!auth) throw new AppError('unauthorized', 'Sign in first.');
    if (
      !SAFE_METHODS.has(c.req.method) &&
      !csrfMatches(c.req.header(CSRF_HEADER), auth.session.csrfTokenHash)
    )
      throw new AppError('csrf_failed', `This request needs the ${CSRF_HEADER} header from sign-in.`);
    c.set('auth', auth);
    await next();
  };
}

/** Only the account's owner may do this. */
export const requireOwner: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('auth').agent.role !== 'owner')
    throw new AppError('owner_only', "Only the account's owner can do this.");
  await next();
};
