import { and, eq, lte } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { readOne, write } from '../statements.ts';

export interface Session {
  id: string;
  userKind: 'agent' | 'staff';
  userId: string;
  csrfTokenHash: string;
  createdAt: number;
  expiresAt: number;
}

/** CK-1: the server-side half of a sign-in, so that signing out revokes the cookie even if a copy survives. */
export async function createSession(db: ParleyDb, session: Session): Promise<void> {
  await write(db, (o, { sessions }) => o.insert(sessions).values(session));
}

/** A session that has not been revoked and has not expired. */
export async function getLiveSession(
  db: ParleyDb,
  sessionId: string,
  now = Date.now(),
): Promise<Session | null> {
  const row = await readOne(db, (o, { sessions }) =>
    o.select().from(sessions).where(eq(sessions.id, sessionId)),
  );
  return row && row.expiresAt > now ? row : null;
}

/** Signs one session out. */
export async function revokeSession(db: ParleyDb, sessionId: string): Promise<void> {
  await write(db, (o, { sessions }) => o.delete(sessions).where(eq(sessions.id, sessionId)));
}

/** Signs a person out everywhere, e.g. when an owner removes an agent. */
export async function revokeSessionsOf(
  db: ParleyDb,
  userKind: Session['userKind'],
  userId: string,
): Promise<void> {
  await write(db, (o, { sessions }) =>
    o.delete(sessions).where(and(eq(sessions.userKind, userKind), eq(sessions.userId, userId))),
  );
}

/** Expired sessions hold nothing anyone can use; they are deleted rather than left for the sweep. */
export async function deleteExpiredSessions(db: ParleyDb, now = Date.now()): Promise<number> {
  return write(db, (o, { sessions }) => o.delete(sessions).where(lte(sessions.expiresAt, now)));
}
