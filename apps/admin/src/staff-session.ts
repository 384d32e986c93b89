import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import {
  cookieHeaderValue,
  type Keyring,
  type SessionKey,
  sealSession,
  serializeClearCookie,
  serializeSetCookie,
  unsealSession,
} from '@parley/cookies';
import {
  createStaffSession,
  endStaffSession,
  liveStaffSession,
  newId,
  type StaffMember,
  type StaffSession,
  sha256,
} from '@parley/db';
import type { AdminDeps } from './context.ts';

export const ADMIN_COOKIE = 'parley_admin_session';
/** A staff session ends eight hours after sign-in, whatever the browser does. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * The CSRF token of a session: an HMAC of its id under a key derived from a session key, so the console can hand it
 * out again after a reload while the database keeps only its hash.
 */
function csrfTokenWith(key: SessionKey, sessionId: string): string {
  const csrfKey = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), 'parley-admin-csrf', 32));
  return createHmac('sha256', csrfKey).update(sessionId).digest('base64url');
}

const sameHash = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The token to send back to the console for this session, or null if the key that made it has been retired. */
export function csrfTokenFor(keyring: Keyring, session: StaffSession): string | null {
  for (const key of [keyring.current, ...keyring.previous]) {
    const token = csrfTokenWith(key, session.id);
    if (sameHash(sha256(token), session.csrfTokenHash)) return token;
  }
  return null;
}

export const csrfMatches = (session: StaffSession, token: string | null): boolean =>
  token !== null && token.length > 0 && token.length <= 256 && sameHash(sha256(token), session.csrfTokenHash);

/**
 * The signed-in staff member's session, from the sealed cookie and the server-side row. A cookie that does not lead
 * to a live session is cleared; one sealed with a retired key is sealed again with the current one.
 */
export async function readStaffSession(
  deps: AdminDeps,
  req: Request,
  resHeaders: Headers,
): Promise<StaffSession | null> {
  const token = cookieHeaderValue(req.headers.get('cookie'), ADMIN_COOKIE);
  if (token === undefined) return null;
  const now = deps.now();
  const opened = unsealSession(token, deps.keyring, { maxAgeMs: SESSION_TTL_MS, now });
  // The row has its own expiry, so an old cookie is refused even where the cookie library would still open it.
  const session =
    opened.ok && now - opened.session.signedInAt <= SESSION_TTL_MS
      ? await liveStaffSession(deps.db, opened.session.sessionId, now)
      : null;
  if (!opened.ok || session === null || session.staff.id !== opened.session.userId) {
    resHeaders.append('Set-Cookie', serializeClearCookie(deps.content.cookies, ADMIN_COOKIE));
    return null;
  }
  if (opened.stale) {
    const resealed = sealSession(opened.session, deps.keyring);
    resHeaders.append(
      'Set-Cookie',
      serializeSetCookie(deps.content.cookies, ADMIN_COOKIE, resealed, { now: new Date(now) }),
    );
  }
  return session;
}

/** CK-1: signs a staff member in: a session row, and a sealed cookie that names it. Returns the CSRF token. */
export async function startStaffSession(
  deps: AdminDeps,
  staff: StaffMember,
  resHeaders: Headers,
): Promise<{ csrfToken: string; expiresAt: number }> {
  const now = deps.now();
  const sessionId = newId('ses');
  const csrfToken = csrfTokenWith(deps.keyring.current, sessionId);
  const expiresAt = now + SESSION_TTL_MS;
  await createStaffSession(deps.db, {
    id: sessionId,
    staffId: staff.id,
    csrfTokenHash: sha256(csrfToken),
    createdAt: now,
    expiresAt,
  });
  const sealed = sealSession({ userId: staff.id, signedInAt: now, sessionId }, deps.keyring);
  resHeaders.append(
    'Set-Cookie',
    serializeSetCookie(deps.content.cookies, ADMIN_COOKIE, sealed, { now: new Date(now) }),
  );
  return { csrfToken, expiresAt };
}

/** CK-1: signing out deletes the session row and the cookie. */
export async function stopStaffSession(
  deps: AdminDeps,
  session: StaffSession,
  resHeaders: Headers,
): Promise<void> {
  await endStaffSession(deps.db, session.id);
  resHeaders.append('Set-Cookie', serializeClearCookie(deps.content.cookies, ADMIN_COOKIE));
}
