import {
  countAdmins,
  createStaffMember,
  hashPassword,
  listStaff,
  recordStaffAction,
  removeStaffMember,
  STAFF_ROLES,
  setStaffRole,
} from '@parley/db';
import { z } from 'zod';
import { AdminError } from '../errors.ts';
import { noInput, router, staffProcedure } from '../trpc.ts';

const StaffRole = z.enum(STAFF_ROLES);
const StaffId = z.string().min(1).max(100);

export const CreateStaffInput = z.object({
  email: z.email({ message: 'Enter the new member’s email address.' }).max(320),
  name: z.string().trim().min(1, { message: 'Enter the new member’s name.' }).max(200),
  role: StaffRole,
  /** A first password the member is told in person; at least 12 characters, as for every staff password. */
  password: z.string().min(12, { message: 'The password needs at least 12 characters.' }).max(1024),
});
export const SetRoleInput = z.object({ staffId: StaffId, role: StaffRole });
export const RemoveStaffInput = z.object({ staffId: StaffId });

/** The last admin can be neither demoted nor removed: nobody could manage staff after that. */
async function keepAnAdmin(db: Parameters<typeof countAdmins>[0], staffId: string): Promise<void> {
  const members = await listStaff(db);
  const member = members.find((m) => m.id === staffId);
  if (!member) throw new AdminError('not_found', 'There is no such staff member.');
  if (member.role === 'admin' && (await countAdmins(db)) <= 1)
    throw new AdminError('invalid_state', 'The console needs at least one admin; make another admin first.');
}

export const staffRouter = router({
  /** Who can use the console, with their roles. */
  list: staffProcedure.input(noInput).query(({ ctx }) => listStaff(ctx.deps.db)),

  create: staffProcedure.input(CreateStaffInput).mutation(async ({ ctx, input }) => {
    const now = ctx.deps.now();
    const member = await createStaffMember(ctx.deps.db, {
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      now,
    });
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'staff.created',
      detail: { staffId: member.id, role: member.role },
      now,
    });
    return member;
  }),

  setRole: staffProcedure.input(SetRoleInput).mutation(async ({ ctx, input }) => {
    if (input.role !== 'admin') await keepAnAdmin(ctx.deps.db, input.staffId);
    if (!(await setStaffRole(ctx.deps.db, input.staffId, input.role)))
      throw new AdminError('not_found', 'There is no such staff member.');
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'staff.role_changed',
      detail: { staffId: input.staffId, role: input.role },
      now: ctx.deps.now(),
    });
    return { staffId: input.staffId, role: input.role };
  }),

  /** Removes a member; their sign-ins end at once. */
  remove: staffProcedure.input(RemoveStaffInput).mutation(async ({ ctx, input }) => {
    await keepAnAdmin(ctx.deps.db, input.staffId);
    const now = ctx.deps.now();
    await removeStaffMember(ctx.deps.db, input.staffId, now);
    await recordStaffAction(ctx.deps.db, {
      staffId: ctx.staff.id,
      action: 'staff.removed',
      detail: { staffId: input.staffId },
      now,
    });
    return { removed: true as const };
  }),
});
