import { and, eq, gt, isNull } from 'drizzle-orm';
import { ormOf, type ParleyDb } from '../connection.ts';
import { operatorStaff, sessions } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';
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
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db)
    .insert(sessions)
    .values({
      id: input.id,
      userKind: 'staff',
      userId: input.staffId,
      csrfTokenHash: input.csrfTokenHash,
      createdAt: input.createdAt,
      expiresAt: input.expiresAt,
    })
    .run();
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
  if (blockedByTransaction(db)) await whenFree(db);
  const row = ormOf(db)
    .select({
      id: sessions.id,
      csrfTokenHash: sessions.csrfTokenHash,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      staffId: operatorStaff.id,
      email: operatorStaff.email,
      name: operatorStaff.name,
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
    )
    .get();
  if (!row) return null;
  return {
    id: row.id,
    csrfTokenHash: row.csrfTokenHash,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    staff: { id: row.staffId, email: row.email, name: row.name, createdAt: row.staffCreatedAt },
  };
}

/** Signs one staff session out. */
export async function endStaffSession(db: ParleyDb, sessionId: string): Promise<void> {
  if (blockedByTransaction(db)) await whenFree(db);
  ormOf(db)
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userKind, 'staff')))
    .run();
}
