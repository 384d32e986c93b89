import { and, eq, isNull } from 'drizzle-orm';
import { ormOf, type ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { operatorStaff } from '../schema.ts';
import { blockedByTransaction, whenFree } from '../transaction.ts';

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

const columns = {
  id: operatorStaff.id,
  email: operatorStaff.email,
  name: operatorStaff.name,
  createdAt: operatorStaff.createdAt,
};

/** Adds a staff member. The caller hashes the password (`hashPassword`); it is never stored as given. */
export async function createStaffMember(
  db: ParleyDb,
  input: { email: string; name: string; passwordHash: string; now?: number },
): Promise<StaffMember> {
  if (blockedByTransaction(db)) await whenFree(db);
  const email = normalizeStaffEmail(input.email);
  const taken = ormOf(db)
    .select({ id: operatorStaff.id })
    .from(operatorStaff)
    .where(eq(operatorStaff.email, email))
    .get();
  if (taken) throw new StaffEmailTakenError();
  const member = { id: newId('stf'), email, name: input.name.trim(), createdAt: input.now ?? Date.now() };
  ormOf(db)
    .insert(operatorStaff)
    .values({ ...member, passwordHash: input.passwordHash })
    .run();
  return member;
}

/** For sign-in: the active staff member with this email, with the stored hash to verify against. */
export async function findStaffForSignIn(
  db: ParleyDb,
  email: string,
): Promise<(StaffMember & { passwordHash: string }) | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    ormOf(db)
      .select({ ...columns, passwordHash: operatorStaff.passwordHash })
      .from(operatorStaff)
      .where(and(eq(operatorStaff.email, normalizeStaffEmail(email)), isNull(operatorStaff.removedAt)))
      .get() ?? null
  );
}

/** An active (not removed) staff member. */
export async function getStaffMember(db: ParleyDb, staffId: string): Promise<StaffMember | null> {
  if (blockedByTransaction(db)) await whenFree(db);
  return (
    ormOf(db)
      .select(columns)
      .from(operatorStaff)
      .where(and(eq(operatorStaff.id, staffId), isNull(operatorStaff.removedAt)))
      .get() ?? null
  );
}

/** Whether any staff member exists, active or not; the first start of an installation creates the first one. */
export async function hasStaff(db: ParleyDb): Promise<boolean> {
  if (blockedByTransaction(db)) await whenFree(db);
  return ormOf(db).select({ id: operatorStaff.id }).from(operatorStaff).limit(1).get() !== undefined;
}
