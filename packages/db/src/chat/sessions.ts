import { and, eq, lte } from 'drizzle-orm';
import { ormOf, type ParleyDb } from '../connection.ts';
import { sessions } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

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
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db).insert(sessions).values(session).run();
}

/** A session that has not been revoked and has not expired. */
export async function getLiveSession(
  db: ParleyDb,
  sessionId: string,
  now = Date.now(),
): Promise<Session | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  const row = ormOf(db).select().from(sessions).where(eq(sessions.id, sessionId)).get();
  return row && row.expiresAt > now ? row : null;
}

/** Signs one session out. */
export async function revokeSession(db: ParleyDb, sessionId: string): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db).delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Signs a person out everywhere, e.g. when an owner removes an agent. */
export async function revokeSessionsOf(
  db: ParleyDb,
  userKind: Session['userKind'],
  userId: string,
): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db)
    .delete(sessions)
    .where(and(eq(sessions.userKind, userKind), eq(sessions.userId, userId)))
    .run();
}

/** Expired sessions hold nothing anyone can use; they are deleted rather than left for the sweep. */
export async function deleteExpiredSessions(db: ParleyDb, now = Date.now()): Promise<number> {
  if (blockedByTransaction(db)) await whenFree(db);
  return ormOf(db).delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
}
