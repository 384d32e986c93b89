import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { ParleyDb } from '../connection.ts';
import { newId } from '../ids.ts';
import { read, readOne, write } from '../statements.ts';
import { transaction } from '../transaction.ts';

/** The longest department name: it has to fit a pre-chat form's choice and a conversation list's badge. */
export const DEPARTMENT_NAME_MAX = 60;
/** The most chats at once an account can give one agent. */
export const CAPACITY_MAX = 50;
/** What an agent takes at once until an owner or admin says otherwise (the column's default). */
export const DEFAULT_CAPACITY = 3;

export interface Department {
  id: string;
  name: string;
  createdAt: number;
  /** The agents who answer its chats, active ones only, in the order they were added to the account. */
  agentIds: string[];
}

/** A department change refused, with a sentence an owner can act on. */
export class DepartmentError extends Error {
  constructor(
    readonly code:
      | 'invalid_name'
      | 'name_taken'
      | 'unknown_agent'
      | 'unknown_department'
      | 'invalid_capacity',
    message: string,
  ) {
    super(message);
    this.name = 'DepartmentError';
  }
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > DEPARTMENT_NAME_MAX)
    throw new DepartmentError(
      'invalid_name',
      `A department's name has 1 to ${DEPARTMENT_NAME_MAX} characters.`,
    );
  return trimmed;
}

/** Throws `name_taken` when another department of the account already has this name. */
async function ensureNameFree(db: ParleyDb, accountId: string, name: string, except?: string): Promise<void> {
  const taken = await readOne(db, (o, { departments: d }) =>
    o
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.accountId, accountId), eq(d.name, name))),
  );
  if (taken && taken.id !== except)
    throw new DepartmentError('name_taken', 'Another department of the account has this name.');
}

/** The account's departments with their agents, by name. */
export async function listDepartments(db: ParleyDb, accountId: string): Promise<Department[]> {
  const found = await read(db, (o, { departments: d }) =>
    o
      .select({ id: d.id, name: d.name, createdAt: d.createdAt })
      .from(d)
      .where(eq(d.accountId, accountId))
      .orderBy(asc(d.name), asc(d.id)),
  );
  if (found.length === 0) return [];
  const members = await read(db, (o, { departmentAgents: m, agents: a }) =>
    o
      .select({ departmentId: m.departmentId, agentId: m.agentId })
      .from(m)
      .innerJoin(a, eq(a.id, m.agentId))
      .where(
        and(
          inArray(
            m.departmentId,
            found.map((department) => department.id),
          ),
          isNull(a.removedAt),
        ),
      )
      .orderBy(asc(a.createdAt), asc(a.id)),
  );
  return found.map((department) => ({
    ...department,
    agentIds: members.filter((m) => m.departmentId === department.id).map((m) => m.agentId),
  }));
}

/** A new department of the account, without agents yet. */
export async function createDepartment(
  db: ParleyDb,
  input: { accountId: string; name: string; now?: number },
): Promise<Department> {
  const name = checkedName(input.name);
  return transaction(db, async () => {
    await ensureNameFree(db, input.accountId, name);
    const department = { id: newId('dep'), name, createdAt: input.now ?? Date.now() };
    await write(db, (o, { departments }) =>
      o.insert(departments).values({ ...department, accountId: input.accountId }),
    );
    return { ...department, agentIds: [] };
  });
}

/** Renames one of the account's departments; false if it has none by that id. */
export async function renameDepartment(
  db: ParleyDb,
  input: { accountId: string; departmentId: string; name: string },
): Promise<boolean> {
  const name = checkedName(input.name);
  return transaction(db, async () => {
    await ensureNameFree(db, input.accountId, name, input.departmentId);
    const renamed = await write(db, (o, { departments: d }) =>
      o
        .update(d)
        .set({ name })
        .where(and(eq(d.id, input.departmentId), eq(d.accountId, input.accountId))),
    );
    return renamed === 1;
  });
}

/**
 * Deletes one of the account's departments; false if it has none by that id. Its memberships and its place in
 * websites' pre-chat forms go with it, and its conversations are then any agent's (the foreign keys say so).
 */
export async function deleteDepartment(
  db: ParleyDb,
  accountId: string,
  departmentId: string,
): Promise<boolean> {
  const deleted = await write(db, (o, { departments: d }) =>
    o.delete(d).where(and(eq(d.id, departmentId), eq(d.accountId, accountId))),
  );
  return deleted === 1;
}

/** Throws `unknown_department` unless the department is the account's. */
export async function ensureDepartment(db: ParleyDb, accountId: string, departmentId: string): Promise<void> {
  const found = await readOne(db, (o, { departments: d }) =>
    o
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.id, departmentId), eq(d.accountId, accountId))),
  );
  if (!found) throw new DepartmentError('unknown_department', 'The account has no such department.');
}

/** The ids among `ids` that name no department of the account. */
async function foreignDepartments(
  db: ParleyDb,
  accountId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await read(db, (o, { departments: d }) =>
    o
      .select({ id: d.id })
      .from(d)
      .where(and(eq(d.accountId, accountId), inArray(d.id, [...ids]))),
  );
  return ids.filter((id) => !found.some((row) => row.id === id));
}

/** The department's agents become exactly `agentIds`, each an active agent of the account. */
export async function setDepartmentAgents(
  db: ParleyDb,
  input: { accountId: string; departmentId: string; agentIds: readonly string[] },
): Promise<void> {
  const agentIds = [...new Set(input.agentIds)];
  await transaction(db, async () => {
    await ensureDepartment(db, input.accountId, input.departmentId);
    const known =
      agentIds.length === 0
        ? []
        : await read(db, (o, { agents: a }) =>
            o
              .select({ id: a.id })
              .from(a)
              .where(and(eq(a.accountId, input.accountId), isNull(a.removedAt), inArray(a.id, agentIds))),
          );
    if (known.length !== agentIds.length)
      throw new DepartmentError('unknown_agent', 'Only active agents of the account can join a department.');
    await write(db, (o, { departmentAgents: m }) =>
      o.delete(m).where(eq(m.departmentId, input.departmentId)),
    );
    if (agentIds.length > 0)
      await write(db, (o, { departmentAgents: m }) =>
        o.insert(m).values(agentIds.map((agentId) => ({ departmentId: input.departmentId, agentId }))),
      );
  });
}

/** How many chats at once the agent is given by routing; false if the account has no such active agent. */
export async function setAgentCapacity(
  db: ParleyDb,
  input: { accountId: string; agentId: string; capacity: number },
): Promise<boolean> {
  if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > CAPACITY_MAX)
    throw new DepartmentError('invalid_capacity', `An agent takes 1 to ${CAPACITY_MAX} chats at once.`);
  const changed = await write(db, (o, { agents: a }) =>
    o
      .update(a)
      .set({ capacity: input.capacity })
      .where(and(eq(a.id, input.agentId), eq(a.accountId, input.accountId), isNull(a.removedAt))),
  );
  return changed === 1;
}

/** Every active agent's capacity, by agent id. */
export async function agentCapacities(db: ParleyDb, accountId: string): Promise<Map<string, number>> {
  const found = await read(db, (o, { agents: a }) =>
    o
      .select({ id: a.id, capacity: a.capacity })
      .from(a)
      .where(and(eq(a.accountId, accountId), isNull(a.removedAt))),
  );
  return new Map(found.map((agent) => [agent.id, agent.capacity]));
}

/** The departments a website's pre-chat form offers, by name; none: the form asks for no department. */
export async function listWebsiteDepartments(
  db: ParleyDb,
  accountId: string,
  websiteId: string,
): Promise<Array<{ id: string; name: string }>> {
  return read(db, (o, { websiteDepartments: wd, departments: d }) =>
    o
      .select({ id: d.id, name: d.name })
      .from(wd)
      .innerJoin(d, eq(d.id, wd.departmentId))
      .where(and(eq(wd.websiteId, websiteId), eq(d.accountId, accountId)))
      .orderBy(asc(d.name), asc(d.id)),
  );
}

/**
 * The website's pre-chat form offers exactly `departmentIds`, each a department of the account. False if the account
 * has no such website.
 */
export async function setWebsiteDepartments(
  db: ParleyDb,
  input: { accountId: string; websiteId: string; departmentIds: readonly string[] },
): Promise<boolean> {
  const departmentIds = [...new Set(input.departmentIds)];
  return transaction(db, async () => {
    const website = await readOne(db, (o, { websites: w }) =>
      o
        .select({ id: w.id })
        .from(w)
        .where(and(eq(w.id, input.websiteId), eq(w.accountId, input.accountId))),
    );
    if (!website) return false;
    if ((await foreignDepartments(db, input.accountId, departmentIds)).length > 0)
      throw new DepartmentError('unknown_department', 'The account has no such department.');
    await write(db, (o, { websiteDepartments: wd }) => o.delete(wd).where(eq(wd.websiteId, input.websiteId)));
    if (departmentIds.length > 0)
      await write(db, (o, { websiteDepartments: wd }) =>
        o
          .insert(wd)
          .values(departmentIds.map((departmentId) => ({ websiteId: input.websiteId, departmentId }))),
      );
    return true;
  });
}

/**
 * Whether a visitor on the website may ask for the department: only one its pre-chat form offers. Without a website
 * (an account's own key) any department of the account.
 */
export async function websiteOffersDepartment(
  db: ParleyDb,
  input: { accountId: string; websiteId: string | null; departmentId: string },
): Promise<boolean> {
  if (input.websiteId === null)
    return (await foreignDepartments(db, input.accountId, [input.departmentId])).length === 0;
  const offered = await listWebsiteDepartments(db, input.accountId, input.websiteId);
  return offered.some((department) => department.id === input.departmentId);
}
