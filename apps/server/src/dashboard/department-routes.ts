import {
  agentCapacities,
  CAPACITY_MAX,
  createDepartment,
  DEPARTMENT_NAME_MAX,
  type Department,
  DepartmentError,
  deleteDepartment,
  listAgents,
  listDepartments,
  listWebsiteDepartments,
  renameDepartment,
  setAgentCapacity,
  setDepartmentAgents,
  setWebsiteDepartments,
  writeAudit,
} from '@parley/db/chat';
import { Hono } from 'hono';
import { z } from 'zod';
import { guardRoute } from '../auth/access.ts';
import { AppError, readJson } from '../errors.ts';
import type { AgentAuth, AppEnv, Services } from '../services.ts';

// The account's departments: every agent sees them with their members (to transfer a chat to a colleague or a
// department); owners and admins create, rename and delete them, choose their members and each agent's capacity, and
// which departments a website's pre-chat form offers.

/** A department's name as the dashboard sends it; its length is checked by the store. */
export const DepartmentNameInput = z.strictObject({ name: z.string().max(1000) });
export type DepartmentNameInput = z.infer<typeof DepartmentNameInput>;
/** A department's members, all at once: the form ticks them. */
export const DepartmentAgentsInput = z.strictObject({ agentIds: z.array(z.string().max(100)).max(1000) });
export type DepartmentAgentsInput = z.infer<typeof DepartmentAgentsInput>;
/** How many chats at once routing gives an agent. */
export const CapacityInput = z.strictObject({ capacity: z.number() });
export type CapacityInput = z.infer<typeof CapacityInput>;
/** The departments a website's pre-chat form offers. */
export const WebsiteDepartmentsInput = z.strictObject({
  departmentIds: z.array(z.string().max(100)).max(1000),
});
export type WebsiteDepartmentsInput = z.infer<typeof WebsiteDepartmentsInput>;

const NO_DEPARTMENT = 'This account has no such department.';

/**
 * The store's refusal as the client's error, each with a fixed sentence (the store's own is English only). The
 * name's problem is a field error, so the form can show it beside the field.
 */
function departmentRefusal(error: DepartmentError): AppError {
  switch (error.code) {
    case 'invalid_name':
      return new AppError('invalid_input', 'A department’s name has 1 to {max} characters.', {
        values: { max: DEPARTMENT_NAME_MAX },
      });
    case 'name_taken':
      return new AppError('conflict', 'Another department of this account already has this name.');
    case 'unknown_agent':
      return new AppError('invalid_input', 'Only active agents of this account can join a department.');
    case 'unknown_department':
      return new AppError('not_found', NO_DEPARTMENT);
    case 'invalid_capacity':
      return new AppError('invalid_input', 'An agent takes 1 to {max} chats at once.', {
        values: { max: CAPACITY_MAX },
      });
  }
}

/** Runs a store change, answering its refusal as the client's error. */
async function refusing<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof DepartmentError) throw departmentRefusal(error);
    throw error;
  }
}

const departmentJson = (department: Department) => ({
  id: department.id,
  name: department.name,
  agentIds: department.agentIds,
  createdAt: new Date(department.createdAt).toISOString(),
});

export function departmentRoutes(s: Services) {
  const routes = new Hono<AppEnv>();
  const guarded = guardRoute(s);
  /** What an owner or admin changed about routing, in the account's audit log. */
  const audit = (auth: AgentAuth, action: string, detail: Record<string, unknown>) =>
    writeAudit(s.db, {
      actorKind: 'agent',
      actorId: auth.agent.id,
      accountId: auth.account.id,
      action,
      detail,
    });

  /**
   * The departments with their members, and the team by name with each one's capacity: what an agent needs to
   * transfer a chat. No email addresses: seeing those is the team right's.
   */
  routes.get('/departments', guarded, async (c) => {
    const { account } = c.get('auth');
    const [departments, agents, capacities] = await Promise.all([
      listDepartments(s.db, account.id),
      listAgents(s.db, account.id),
      agentCapacities(s.db, account.id),
    ]);
    return c.json({
      departments: departments.map(departmentJson),
      agents: agents.map((agent) => ({
        id: agent.id,
        name: agent.name,
        capacity: capacities.get(agent.id) ?? null,
      })),
    });
  });

  routes.post('/departments', guarded, async (c) => {
    const auth = c.get('auth');
    const { name } = await readJson(c, DepartmentNameInput);
    const department = await refusing(() => createDepartment(s.db, { accountId: auth.account.id, name }));
    await audit(auth, 'department.created', { departmentId: department.id });
    return c.json(departmentJson(department), 201);
  });

  routes.patch('/departments/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const { name } = await readJson(c, DepartmentNameInput);
    const departmentId = c.req.param('id');
    const renamed = await refusing(() =>
      renameDepartment(s.db, { accountId: auth.account.id, departmentId, name }),
    );
    if (!renamed) throw new AppError('not_found', NO_DEPARTMENT);
    await audit(auth, 'department.renamed', { departmentId });
    return c.json({ id: departmentId, name: name.trim() });
  });

  routes.delete('/departments/:id', guarded, async (c) => {
    const auth = c.get('auth');
    const departmentId = c.req.param('id');
    if (!(await deleteDepartment(s.db, auth.account.id, departmentId)))
      throw new AppError('not_found', NO_DEPARTMENT);
    await audit(auth, 'department.deleted', { departmentId });
    return c.body(null, 204);
  });

  routes.put('/departments/:id/agents', guarded, async (c) => {
    const auth = c.get('auth');
    const { agentIds } = await readJson(c, DepartmentAgentsInput);
    const departmentId = c.req.param('id');
    await refusing(() => setDepartmentAgents(s.db, { accountId: auth.account.id, departmentId, agentIds }));
    await audit(auth, 'department.agents_set', { departmentId, agents: agentIds.length });
    return c.json({ id: departmentId, agentIds: [...new Set(agentIds)] });
  });

  routes.put('/agents/:id/capacity', guarded, async (c) => {
    const auth = c.get('auth');
    const { capacity } = await readJson(c, CapacityInput);
    const agentId = c.req.param('id');
    const changed = await refusing(() =>
      setAgentCapacity(s.db, { accountId: auth.account.id, agentId, capacity }),
    );
    if (!changed) throw new AppError('not_found', 'There is no such agent in this account.');
    await audit(auth, 'agent.capacity_changed', { agentId, capacity });
    return c.json({ id: agentId, capacity });
  });

  routes.get('/websites/:id/departments', guarded, async (c) => {
    const { account } = c.get('auth');
    return c.json({ departments: await listWebsiteDepartments(s.db, account.id, c.req.param('id')) });
  });

  routes.put('/websites/:id/departments', guarded, async (c) => {
    const auth = c.get('auth');
    const { departmentIds } = await readJson(c, WebsiteDepartmentsInput);
    const websiteId = c.req.param('id');
    const changed = await refusing(() =>
      setWebsiteDepartments(s.db, { accountId: auth.account.id, websiteId, departmentIds }),
    );
    if (!changed) throw new AppError('not_found', 'This account has no such website.');
    await audit(auth, 'website.departments_set', { websiteId, departments: departmentIds.length });
    return c.json({ departments: await listWebsiteDepartments(s.db, auth.account.id, websiteId) });
  });

  return routes;
}
