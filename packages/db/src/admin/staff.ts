import { and, eq, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { read, readOne, type Tables, write } from '../statements.ts';

/**
 * What a member of staff may do in the console, from least to most: `viewer` reads, `support` also answers account
 * holders and suspends accounts, `privacy_officer` also handles disclosures, erasure and retention, and `admin`
 * also manages staff. The console's table of procedures says exactly which role may call what.
 */
export const STAFF_ROLES = ['viewer', 'support', 'privacy_officer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A member of operator staff as the admin console sees them: never the password hash. */
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
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
  role: operatorStaff.role,
  createdAt: operatorStaff.createdAt,
});

/**
 * Adds a staff member, an admin unless `role` says otherwise (the first member, made at the first start or by
 * `create-staff`, must be able to add the others). The caller hashes the password (`hashPassword`); it is never
 * stored as given. The email's unique key decides between two requests that add the same address at once: one is
 * added, the other refused.
 */
export async function createStaffMember(
  db: ParleyDb,
  input: { email: string; name: string; passwordHash: string; role?: StaffRole; now?: number },
): Promise<StaffMember> {
  const member: StaffMember = {
    id: newId('stf'),
    email: normalizeStaffEmail(input.email),
    name: input.name.trim(),
    role: input.role ?? 'admin',
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

/** Every active staff member, by name, for the console's staff page. */
export async function listStaff(db: ParleyDb): Promise<StaffMember[]> {
  return read(db, (o, t) =>
    o
      .select(columns(t))
      .from(t.operatorStaff)
      .where(isNull(t.operatorStaff.removedAt))
      .orderBy(t.operatorStaff.name, t.operatorStaff.id),
  );
}

/** Gives an active staff member another role; false if there is no such member. */
export async function setStaffRole(db: ParleyDb, staffId: string, role: StaffRole): Promise<boolean> {
  const changed = await write(db, (o, { operatorStaff }) =>
    o
      .update(operatorStaff)
      .set({ role })
      .where(and(eq(operatorStaff.id, staffId), isNull(operatorStaff.removedAt))),
  );
  return changed === 1;
}

/**
 * Removes a staff member: their sign-ins end with the row's `removed_at` (a session of removed staff is not live),
 * and their sessions are deleted. The row stays so the audit log can still name them until retention clears it.
 */
export async function removeStaffMember(db: ParleyDb, staffId: string, now = Date.now()): Promise<boolean> {
  const removed = await write(db, (o, { operatorStaff }) =>
    o
      .update(operatorStaff)
      .set({ removedAt: now })
      .where(and(eq(operatorStaff.id, staffId), isNull(operatorStaff.removedAt))),
  );
  await write(db, (o, { sessions }) =>
    o.delete(sessions).where(and(eq(sessions.userKind, 'staff'), eq(sessions.userId, staffId))),
  );
  return removed === 1;
}

/** Active admins: the console refuses to remove or demote the last one, which would lock everyone out of staff. */
export async function countAdmins(db: ParleyDb): Promise<number> {
  const found = await read(db, (o, { operatorStaff }) =>
    o
      .select({ id: operatorStaff.id })
      .from(operatorStaff)
      .where(and(eq(operatorStaff.role, 'admin'), isNull(operatorStaff.removedAt))),
  );
  return found.length;
}
