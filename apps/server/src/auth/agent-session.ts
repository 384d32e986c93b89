import { createHmac } from 'node:crypto';
import {
  cookieHeaderValue,
  decideCookies,
  type SessionPayload,
  sealSession,
  unsealSession,
} from '@parley/cookies';
import { accountSuspension, newId, sha256 } from '@parley/db';
import {
  type Agent,
  createSession,
  getAccount,
  getAgent,
  getLiveSession,
  releaseAgentConversations,
  revokeOtherSessions,
  revokeSession,
  revokeSessionsOf,
} from '@parley/db/chat';
import { CLOSE_CODES } from '@parley/protocol';
import type { Context } from 'hono';
import { publishPresence, publishRequeued } from '../chat/notify.ts';
import { topics } from '../delivery/bus.ts';
import { AppError } from '../errors.ts';
import type { AgentAuth, Services } from '../services.ts';
import { expireCookie, issueCookie, readCookie } from './cookie-headers.ts';

/** How long a sign-in lasts, whatever the browser does with its session cookie. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export const SUSPENDED =
  'The operator of this Parley installation has suspended this account: nobody can sign in to it until they reinstate it.';

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
  options: { rememberEmail?: boolean },
): Promise<{ csrfToken: string }> {
  // Every way in (password, invitation, reset link) starts here, after the person proved who they are.
  if (await accountSuspension(s.db, agent.accountId)) throw new AppError('account_suspended', SUSPENDED);
  const now = s.clock.now();
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
export async function authenticate(s: Services, c: Context): Promise<AgentAuth | null> {
  const checked = await checkSessionCookie(s, c.req.header('cookie'), s.clock.now());
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
): Promise<AgentAuth | null> {
  return (await checkSessionCookie(s, cookieHeader, s.clock.now()))?.auth ?? null;
}

/** Why sign-ins end; each closes the sockets they opened with its own close code. */
export type SessionEnd = 'signed_out' | 'expired' | 'removed' | 'password_changed' | 'account_closed';

const CLOSE_CODE_OF: Record<SessionEnd, number> = {
  signed_out: CLOSE_CODES.signedOut,
  expired: CLOSE_CODES.sessionExpired,
  removed: CLOSE_CODES.agentRemoved,
  password_changed: CLOSE_CODES.passwordChanged,
  account_closed: CLOSE_CODES.accountClosed,
};

const REASON_OF: Record<SessionEnd, string> = {
  signed_out: 'signed out',
  expired: 'session expired',
  removed: 'removed from the account',
  password_changed: 'password changed',
  account_closed: 'account closed',
};

/**
 * Ends every sign-in of one agent, or only the sign-in `sessionId`: the session rows go, every socket they opened
 * closes at once with the close code for `why` (and leaves presence without a grace period), and if the agent has no
 * dashboard open any more, they are offline and the chats they were answering go back to the queue. Signing out,
 * a session's expiry, removal and a password change all end sessions through here.
 */
export async function endSessionsOf(
  s: Services,
  person: { accountId: string; agentId: string },
  why: SessionEnd,
  only?: { sessionId: string },
): Promise<void> {
  const { accountId, agentId } = person;
  if (only) await revokeSession(s.db, only.sessionId);
  else await revokeSessionsOf(s.db, 'agent', agentId);
  // Every node closes the sockets this sign-in (or this agent) opened; a socket closed on another node puts the
  // agent's chats back in the queue itself if it was their last.
  await s.bus.publish(only ? topics.session(only.sessionId) : topics.agent(agentId), {
    kind: 'disconnect',
    code: CLOSE_CODE_OF[why],
    reason: REASON_OF[why],
  });
  // With every sign-in of the agent gone, no socket of theirs may count, wherever it is still closing.
  if (only && (await s.presence.isConnected(accountId, agentId))) return;
  await publishPresence(s, accountId, await s.presence.remove(accountId, agentId));
  const released = await releaseAgentConversations(s.db, { accountId, agentId });
  await publishRequeued(s, accountId, released);
}

/**
 * RET-2: ends every sign-in of the agent but the one behind `auth` (a password change made there, or "sign out my
 * other sessions"): their rows go and their sockets close on every node. The agent keeps this sign-in's sockets, so
 * presence and their chats stay as they are.
 */
export async function endOtherSessions(s: Services, auth: AgentAuth, why: SessionEnd): Promise<number> {
  const ended = await revokeOtherSessions(s.db, {
    userKind: 'agent',
    userId: auth.agent.id,
    keepSessionId: auth.session.id,
  });
  await Promise.all(
    ended.map((sessionId) =>
      s.bus.publish(topics.session(sessionId), {
        kind: 'disconnect',
        code: CLOSE_CODE_OF[why],
        reason: REASON_OF[why],
      }),
    ),
  );
  return ended.length;
}

/**
 * CK-1, CK-2: signs out. The session row is deleted, so the cookie is worthless even if a copy survives; the cookie
 * is deleted too, and the sockets of this sign-in close. A remembered email stays: that is what it is for.
 */
export async function endSession(
  s: Services,
  c: Context,
  auth: AgentAuth | null,
  why: SessionEnd = 'signed_out',
): Promise<void> {
  if (auth)
    await endSessionsOf(s, { accountId: auth.account.id, agentId: auth.agent.id }, why, {
      sessionId: auth.session.id,
    });
  const decision = decideCookies(s.cookies, {
    surface: 'dashboard',
    signedIn: false,
    rememberEmail: readCookie(c, 'parley_remember_email') !== undefined,
  });
  for (const cookie of decision.remove) expireCookie(c, s.cookies, cookie.name);
}
