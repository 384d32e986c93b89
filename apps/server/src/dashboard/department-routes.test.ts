import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp, writeHeaders } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;
const globex = FIXTURE.agents.globexOwner;

interface DepartmentBody {
  id: string;
  name: string;
  agentIds: string[];
}

interface DepartmentsBody {
  departments: DepartmentBody[];
  agents: Array<{ id: string; name: string; capacity: number | null }>;
}

async function send(app: TestApp, email: string, method: string, path: string, body?: unknown) {
  const session = await signIn(app, email);
  return app.request(`/app/api${path}`, {
    method,
    headers: { ...writeHeaders(session), 'accept-language': 'en' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function created(app: TestApp, name: string): Promise<DepartmentBody> {
  const response = await send(app, owner.email, 'POST', '/departments', { name });
  expect(response.status).toBe(201);
  return (await response.json()) as DepartmentBody;
}

async function listed(app: TestApp, email: string): Promise<DepartmentsBody> {
  const response = await send(app, email, 'GET', '/departments');
  expect(response.status).toBe(200);
  return (await response.json()) as DepartmentsBody;
}

/** One of the account's websites, added through the API. */
async function website(app: TestApp): Promise<string> {
  const response = await send(app, owner.email, 'POST', '/websites', {
    name: 'Shop',
    origins: ['https://shop.acme.test'],
    color: '#aa3300',
    position: 'right',
    launcherLabel: null,
    greeting: null,
    agentDisplay: 'name',
    languages: ['en'],
    preChat: { name: 'optional', email: 'off' },
    hours: null,
    transcripts: false,
    ratings: false,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('departments in the dashboard', () => {
  it('an owner creates, renames, staffs and deletes departments; every agent sees them; each step is audited', async () => {
    const app = await createTestApp();
    const sales = await created(app, '  Sales ');
    expect(sales).toMatchObject({ name: 'Sales', agentIds: [] });
    const support = await created(app, 'Support');

    const staffed = await send(app, owner.email, 'PUT', `/departments/${support.id}/agents`, {
      agentIds: [agent.id, owner.id, agent.id],
    });
    expect(staffed.status).toBe(200);
    expect(
      (await send(app, owner.email, 'PATCH', `/departments/${sales.id}`, { name: 'Deals' })).status,
    ).toBe(200);
    expect(
      (await send(app, owner.email, 'PUT', `/agents/${agent.id}/capacity`, { capacity: 7 })).status,
    ).toBe(200);

    // A plain agent sees the departments, their members and the team by name, but no email address.
    const seen = await listed(app, agent.email);
    expect(seen.departments.map((d) => [d.name, [...d.agentIds].sort()])).toEqual([
      ['Deals', []],
      ['Support', [owner.id, agent.id].sort()],
    ]);
    expect(seen.agents).toEqual(
      expect.arrayContaining([
        { id: agent.id, name: agent.name, capacity: 7 },
        { id: owner.id, name: owner.name, capacity: 3 },
      ]),
    );
    expect(JSON.stringify(seen)).not.toContain('@');

    expect((await send(app, owner.email, 'DELETE', `/departments/${sales.id}`)).status).toBe(204);
    expect((await listed(app, owner.email)).departments.map((d) => d.name)).toEqual(['Support']);
    expect(
      (await readRows(app.db, 'auditLog', { accountId: FIXTURE.accounts.acme.id })).map((a) => a.action),
    ).toEqual(
      expect.arrayContaining([
        'department.created',
        'department.renamed',
        'department.agents_set',
        'agent.capacity_changed',
        'department.deleted',
      ]),
    );
  });

  it('refuses a bad name, a taken name, a bad capacity and a stranger as member, in English or German', async () => {
    const app = await createTestApp();
    const sales = await created(app, 'Sales');
    const empty = await send(app, owner.email, 'POST', '/departments', { name: '   ' });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toBe(
      'A department’s name has 1 to 60 characters.',
    );
    expect((await send(app, owner.email, 'POST', '/departments', { name: 'x'.repeat(61) })).status).toBe(422);
    expect((await send(app, owner.email, 'POST', '/departments', { name: 'Sales' })).status).toBe(409);
    expect((await send(app, owner.email, 'POST', '/departments', { title: 'Sales' })).status).toBe(422);
    for (const capacity of [0, 51, 2.5])
      expect(
        (await send(app, owner.email, 'PUT', `/agents/${agent.id}/capacity`, { capacity })).status,
        `capacity ${capacity}`,
      ).toBe(422);
    const stranger = await send(app, owner.email, 'PUT', `/departments/${sales.id}/agents`, {
      agentIds: [globex.id],
    });
    expect(stranger.status).toBe(422);

    const session = await signIn(app, owner.email);
    const german = await app.request('/app/api/departments', {
      method: 'POST',
      headers: { ...writeHeaders(session), 'accept-language': 'de' },
      body: JSON.stringify({ name: 'Sales' }),
    });
    expect(((await german.json()) as { error: { message: string } }).error.message).toBe(
      'Eine andere Abteilung dieses Kontos hat bereits diesen Namen.',
    );
    expect((await listed(app, owner.email)).departments.map((d) => [d.name, d.agentIds])).toEqual([
      ['Sales', []],
    ]);
  });

  it('a plain agent cannot change departments, capacities or what a website offers', async () => {
    const app = await createTestApp();
    const sales = await created(app, 'Sales');
    const websiteId = await website(app);
    expect((await send(app, agent.email, 'POST', '/departments', { name: 'Mine' })).status).toBe(403);
    expect((await send(app, agent.email, 'PATCH', `/departments/${sales.id}`, { name: 'Mine' })).status).toBe(
      403,
    );
    expect((await send(app, agent.email, 'DELETE', `/departments/${sales.id}`)).status).toBe(403);
    expect(
      (await send(app, agent.email, 'PUT', `/departments/${sales.id}/agents`, { agentIds: [agent.id] }))
        .status,
    ).toBe(403);
    expect(
      (await send(app, agent.email, 'PUT', `/agents/${agent.id}/capacity`, { capacity: 9 })).status,
    ).toBe(403);
    expect(
      (
        await send(app, agent.email, 'PUT', `/websites/${websiteId}/departments`, {
          departmentIds: [sales.id],
        })
      ).status,
    ).toBe(403);
    expect((await listed(app, owner.email)).departments).toEqual([expect.objectContaining({ agentIds: [] })]);
  });

  it('a website offers the departments chosen, only the account’s own', async () => {
    const app = await createTestApp();
    const sales = await created(app, 'Sales');
    const support = await created(app, 'Support');
    const websiteId = await website(app);
    const chosen = await send(app, owner.email, 'PUT', `/websites/${websiteId}/departments`, {
      departmentIds: [support.id, sales.id],
    });
    expect(chosen.status).toBe(200);
    const offered = await send(app, agent.email, 'GET', `/websites/${websiteId}/departments`);
    expect(((await offered.json()) as { departments: unknown }).departments).toEqual([
      { id: sales.id, name: 'Sales' },
      { id: support.id, name: 'Support' },
    ]);
    expect(
      (await readRows(app.db, 'auditLog', { accountId: FIXTURE.accounts.acme.id })).map((a) => a.action),
    ).toContain('website.departments_set');
    expect(
      (
        await send(app, owner.email, 'PUT', `/websites/${websiteId}/departments`, {
          departmentIds: ['dep_none'],
        })
      ).status,
    ).toBe(404);
  });

  it('another account’s departments, agents and websites are not found, and its list is its own', async () => {
    const app = await createTestApp();
    const sales = await created(app, 'Sales');
    const websiteId = await website(app);
    expect(
      (await send(app, globex.email, 'PATCH', `/departments/${sales.id}`, { name: 'Ours' })).status,
    ).toBe(404);
    expect((await send(app, globex.email, 'DELETE', `/departments/${sales.id}`)).status).toBe(404);
    expect(
      (await send(app, globex.email, 'PUT', `/departments/${sales.id}/agents`, { agentIds: [globex.id] }))
        .status,
    ).toBe(404);
    expect(
      (await send(app, globex.email, 'PUT', `/agents/${agent.id}/capacity`, { capacity: 9 })).status,
    ).toBe(404);
    expect(
      (await send(app, globex.email, 'PUT', `/websites/${websiteId}/departments`, { departmentIds: [] }))
        .status,
    ).toBe(404);
    const own = await send(app, owner.email, 'PUT', `/websites/${websiteId}/departments`, {
      departmentIds: [sales.id],
    });
    expect(own.status).toBe(200);
    const theirs = await send(app, globex.email, 'GET', `/websites/${websiteId}/departments`);
    expect(((await theirs.json()) as { departments: unknown[] }).departments).toEqual([]);
    expect((await listed(app, globex.email)).departments).toEqual([]);
  });
});
