import { createStaffMember, hashPassword, STAFF_ROLES, type StaffRole } from '@parley/db';
import { FIXTURE_PASSWORD } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { PROCEDURE_ROLES, type StaffProcedurePath } from './permissions.ts';
import { adminRouter } from './router.ts';
import { adminHarness } from './testing/admin-harness.ts';

/** What tRPC knows of each procedure: whether it is a query or a mutation. */
const procedures = adminRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: 'query' | 'mutation' } }
>;
/** The procedures anyone may call: signing in (with its second-factor steps), and asking who is signed in. */
const PUBLIC = [
  'auth.signIn',
  'auth.signInWithCode',
  'auth.startEnrolment',
  'auth.confirmEnrolment',
  'auth.me',
];

// Signing out last, so that every other call is made signed in.
const paths = (Object.keys(PROCEDURE_ROLES) as StaffProcedurePath[]).sort(
  (a, b) => Number(a === 'auth.signOut') - Number(b === 'auth.signOut'),
);

describe('staff roles', () => {
  it('the table names every procedure that needs a signed-in staff member, and nothing else', () => {
    expect(Object.keys(PROCEDURE_ROLES).sort()).toEqual(
      Object.keys(procedures)
        .filter((path) => !PUBLIC.includes(path))
        .sort(),
    );
  });

  describe.each(STAFF_ROLES)('a member with the role %s', (role: StaffRole) => {
    it('may call exactly the procedures the table allows the role, and each refusal is audited', async () => {
      const h = await adminHarness();
      const email = `${role}@parley.test`;
      await createStaffMember(h.db, {
        email,
        name: role,
        role,
        passwordHash: await hashPassword(FIXTURE_PASSWORD),
      });
      const session = await h.signIn(email);
      const outcomes: Record<string, string> = {};
      for (const path of paths) {
        const call = procedures[path]?._def.type === 'mutation' ? h.mutate : h.query;
        const reply = await call(path, undefined, session);
        outcomes[path] = reply.error?.data.code ?? 'OK';
      }
      const expected = Object.fromEntries(paths.map((path) => [path, PROCEDURE_ROLES[path].includes(role)]));
      const forbidden = Object.fromEntries(paths.map((path) => [path, outcomes[path] === 'FORBIDDEN']));
      expect(forbidden).toEqual(Object.fromEntries(paths.map((path) => [path, !expected[path]])));
      // An allowed call got past the session check: it ran, its (missing) input was refused, or what it acts on
      // is not there (no demo account to remove).
      for (const path of paths.filter((p) => expected[p]))
        expect(['OK', 'BAD_REQUEST', 'PRECONDITION_FAILED', 'NOT_FOUND'], path).toContain(outcomes[path]);
      const refusals = await h.query<{ entries: Array<{ action: string; detail: { procedure: string } }> }>(
        'audit.list',
        { action: 'staff.refused', limit: 200 },
        await h.signIn(),
      );
      expect(refusals.data.entries.map((e) => e.detail.procedure).sort()).toEqual(
        paths.filter((path) => !expected[path]).sort(),
      );
    });
  });
});
