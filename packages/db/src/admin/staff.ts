import { and, eq, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { read, readOne, type Tables } from '../statements.ts';

/** A member of operator staff as the admin console sees them: never the password hash. */
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  createdAt: number;
}

export class StaffEmailTakenError extends Error {
  readonly code = 'STAFF_EMAIL_TAKEN';
  constructor() {
    super('A staff member with this email already exists');
    this.name = 'StaffEmailTakenError';
  }
}

/** Emails are compared without regard to case or surrounding space, as people type them. */
export const normalizeStaffEmail = (email: string): string => email.trim().toLowerCase();

const columns = ({ operatorStaff }: Tables) => ({
  id: operatorStaff.id,
  email: operatorStaff.email,
  name: operatorStaff.name,
  createdAt: operatorStaff.createdAt,
});

/**
 * Adds a staff member. The caller hashes the password (`hashPassword`); it is never stored as given. The email's
 * unique key decides between two requests that add the same address at once: one is added, the other refused.
 */
export async function createStaffMember(
  db: ParleyDb,
  input: { email: string; name: string; passwordHash: string; now?: number },
): Promise<StaffMember> {
  const member = {
    id: newId('stf'),
    email: normalizeStaffEmail(input.email),
    name: input.name.trim(),
    createdAt: input.now ?? Date.now(),
  };
  const added = await read(db, (o, { operatorStaff }) =>
    o
      .insert(operatorStaff)
      .values({ ...member, passwordHash: input.passwordHash })
      .onConflictDoNothing({ target: operatorStaff.email })
      .returning({ id: operatorStaff.id }),
  );
  if (added.length === 0) throw new StaffEmailTakenError();
  return member;
}

/** For sign-in: the active staff member with this email, with the stored hash to verify against. */
export async function findStaffForSignIn(
  db: ParleyDb,
  email: string,
): Promise<(StaffMember & { passwordHash: string }) | null> {
  return readOne(db, (o, t) =>
    o
      .select({ ...columns(t), passwordHash: t.operatorStaff.passwordHash })
      .from(t.operatorStaff)
      .where(and(eq(t.operatorStaff.email, normalizeStaffEmail(email)), isNull(t.operatorStaff.removedAt))),
  );
}

/** An active (not removed) staff member. */
export async function getStaffMember(db: ParleyDb, staffId: string): Promise<StaffMember | null> {
  return readOne(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.operatorStaff)
      .where(and(eq(t.operatorStaff.id, staffId), isNull(t.operatorStaff.removedAt))),
  );
}

/** Whether any staff member exists, active or not; the first start of an installation creates the first one. */
export async function hasStaff(db: ParleyDb): Promise<boolean> {
  const found = await readOne(db, (o, { operatorStaff }) =>
    o.select({ id: operatorStaff.id }).from(operatorStaff).limit(1),
  );
  return found !== null;
}
