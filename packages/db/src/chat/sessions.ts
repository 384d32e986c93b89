import { and, eq, lte, ne } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { read, readOne, write } from '../statements.ts';

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

/**
 * Signs a person out everywhere but `keepSessionId` (a password change keeps the sign-in that made it). Returns the
 * ids of the sessions that ended, so that their sockets can be closed.
 */
export async function revokeOtherSessions(
  db: ParleyDb,
  input: { userKind: Session['userKind']; userId: string; keepSessionId: string },
): Promise<string[]> {
  const ended = await read(db, (o, { sessions }) =>
    o
      .delete(sessions)
      .where(
        and(
          eq(sessions.userKind, input.userKind),
          eq(sessions.userId, input.userId),
          ne(sessions.id, input.keepSessionId),
        ),
      )
      .returning({ id: sessions.id }),
  );
  return ended.map((row) => row.id);
}

/** Expired sessions hold nothing anyone can use; they are deleted rather than left for the sweep. */
export async function deleteExpiredSessions(db: ParleyDb, now = Date.now()): Promise<number> {
  return write(db, (o, { sessions }) => o.delete(sessions).where(lte(sessions.expiresAt, now)));
}
