import { describe, expect, it } from 'vitest';
import { countRows, createTestDatabase, FIXTURE, updateRows } from '../testing/index.ts';
import {
  countAdmins,
  createStaffMember,
  findStaffForSignIn,
  getStaffMember,
  hasStaff,
  listStaff,
  removeStaffMember,
  StaffEmailTakenError,
  setStaffRole,
} from './staff.ts';

const operator = FIXTURE.staff.operator;

describe('operator staff', () => {
  it('adds a member under the email as typed, compared without case or surrounding space', async () => {
    const db = await createTestDatabase();
    const member = await createStaffMember(db, {
      email: '  Nora@Parley.Test ',
      name: ' Nora ',
      passwordHash: 'scrypt$hash',
      now: 42,
    });
    expect(member).toEqual({
      id: expect.stringMatching(/^stf_/),
      email: 'nora@parley.test',
      name: 'Nora',
      role: 'admin',
      createdAt: 42,
    });
    expect(await getStaffMember(db, member.id)).toEqual(member);
    expect(await findStaffForSignIn(db, 'NORA@parley.test')).toEqual({
      ...member,
      passwordHash: 'scrypt$hash',
    });
  });

  it('refuses a second member with an email already on record, removed or not', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'operatorStaff', { removedAt: 1 }, { id: operator.id });
    await expect(
      createStaffMember(db, { email: operator.email.toUpperCase(), name: 'Again', passwordHash: 'h' }),
    ).rejects.toBeInstanceOf(StaffEmailTakenError);
  });

  it('adds one of two members with the same email asked for at once, and refuses the other', async () => {
    const db = await createTestDatabase();
    const add = () => createStaffMember(db, { email: 'twice@parley.test', name: 'Twice', passwordHash: 'h' });
    const results = await Promise.allSettled([add(), add()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.any(StaffEmailTakenError),
    });
    expect(await countRows(db, 'operatorStaff', { email: 'twice@parley.test' })).toBe(1);
  });

  it('does not find removed staff, for sign-in or otherwise, but still counts them as staff', async () => {
    const db = await createTestDatabase();
    expect(await getStaffMember(db, operator.id)).toMatchObject({
      email: operator.email,
      name: operator.name,
    });
    await updateRows(db, 'operatorStaff', { removedAt: 1 }, { id: operator.id });
    expect(await getStaffMember(db, operator.id)).toBeNull();
    expect(await findStaffForSignIn(db, operator.email)).toBeNull();
    expect(await hasStaff(db)).toBe(true);
  });

  it('knows whether an installation has any staff yet', async () => {
    expect(await hasStaff(await createTestDatabase({ seed: false }))).toBe(false);
    expect(await hasStaff(await createTestDatabase())).toBe(true);
  });
});

describe('staff roles', () => {
  it('lists active members with their roles, changes a role, and removes a member with their sessions', async () => {
    const db = await createTestDatabase();
    const viewer = await createStaffMember(db, {
      email: 'vera@parley.test',
      name: 'Vera',
      passwordHash: 'scrypt$hash',
      role: 'viewer',
    });
    expect((await listStaff(db)).map((s) => [s.name, s.role])).toEqual([
      ['Oona Operator', 'admin'],
      ['Vera', 'viewer'],
    ]);
    expect(await countAdmins(db)).toBe(1);
    expect(await setStaffRole(db, viewer.id, 'admin')).toBe(true);
    expect(await countAdmins(db)).toBe(2);
    expect(await removeStaffMember(db, viewer.id, 50)).toBe(true);
    expect(await removeStaffMember(db, viewer.id, 60)).toBe(false);
    expect(await setStaffRole(db, viewer.id, 'support')).toBe(false);
    expect((await listStaff(db)).map((s) => s.name)).toEqual(['Oona Operator']);
    expect(await countAdmins(db)).toBe(1);
  });
});
