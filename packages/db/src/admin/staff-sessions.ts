import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { readOne, write } from '../statements.ts';
import type { StaffMember } from './staff.ts';

export interface StaffSession {
  id: string;
  staff: StaffMember;
  csrfTokenHash: string;
  createdAt: number;
  expiresAt: number;
}

/** CK-1: the server-side half of a staff sign-in, so that signing out revokes the sealed cookie. */
export async function createStaffSession(
  db: ParleyDb,
  input: { id: string; staffId: string; csrfTokenHash: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await write(db, (o, { sessions }) =>
    o.insert(sessions).values({
      id: input.id,
      userKind: 'staff',
      userId: input.staffId,
      csrfTokenHash: input.csrfTokenHash,
      createdAt: input.createdAt,
      expiresAt: input.expiresAt,
    }),
  );
}

/**
 * A staff session that exists, has not expired and belongs to staff who have not been removed. Agent sessions never
 * match, even though agents' cookies are sealed with the same keyring.
 */
export async function liveStaffSession(
  db: ParleyDb,
  sessionId: string,
  now = Date.now(),
): Promise<StaffSession | null> {
  const found = await readOne(db, (o, { sessions, operatorStaff }) =>
    o
      .select({
        id: sessions.id,
        csrfTokenHash: sessions.csrfTokenHash,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
        staffId: operatorStaff.id,
        email: operatorStaff.email,
        name: operatorStaff.name,
        role: operatorStaff.role,
        staffCreatedAt: operatorStaff.createdAt,
      })
      .from(sessions)
      .innerJoin(operatorStaff, eq(operatorStaff.id, sessions.userId))
      .where(
        and(
          eq(sessions.id, sessionId),
          eq(sessions.userKind, 'staff'),
          gt(sessions.expiresAt, now),
          isNull(operatorStaff.removedAt),
        ),
      ),
  );
  if (!found) return null;
  return {
    id: found.id,
    csrfTokenHash: found.csrfTokenHash,
    createdAt: found.createdAt,
    expiresAt: found.expiresAt,
    staff: {
      id: found.staffId,
      email: found.email,
      name: found.name,
      role: found.role,
      createdAt: found.staffCreatedAt,
    },
  };
}

/** Signs one staff session out. */
export async function endStaffSession(db: ParleyDb, sessionId: string): Promise<void> {
  await write(db, (o, { sessions }) =>
    o.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userKind, 'staff'))),
  );
}
