import { FIXTURE, readRows } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { topics } from '../delivery/bus.ts';
import { addAgent, createTestApp, sendAs, signIn, type TestApp } from '../testing/test-app.ts';

const owner = FIXTURE.agents.acmeOwner;
const agent = FIXTURE.agents.acmeAgent;
const globexOwner = FIXTURE.agents.globexOwner;
const acme = FIXTURE.accounts.acme.id;
const { annaClosed, benActive, gpcWaiting } = FIXTURE.conversations;

interface TagBody {
  id: string;
  name: string;
  color: string | null;
}

const send = sendAs;

/** The conversation summaries published to Acme's agents, on every node, while `act` runs. */
async function summariesDuring(app: TestApp, act: () => Promise<unknown>) {
  const frames: Array<{ id: string; tags?: string[] }> = [];
  const stop = await app.parley.services.bus.subscribe(topics.agents(acme), (message) => {
    if (message.kind === 'frame' && message.frame.type === 'conversation')
      frames.push(message.frame.conversation as { id: string; tags?: string[] });
  });
  await act();
  stop();
  return frames;
}

describe('tags in the dashboard', () => {
  it('an owner defines tags; every agent lists them; each change is audited', async () => {
    const app = await createTestApp();
    const created = await send(app, owner.email, 'POST', '/tags', { name: ' Billing ', color: '#AA3300' });
    expect(created.status).toBe(201);
    const billing = (await created.json()) as TagBody;
    expect(billing).toEqual({ id: billing.id, name: 'Billing', color: '#aa3300' });
    const listed = await send(app, agent.email, 'GET', '/tags');
    expect(((await listed.json()) as { tags: TagBody[] }).tags.map((tag) => tag.name)).toEqual([
      'Billing',
      'Roses',
    ]);
    const renamed = await send(app, owner.email, 'PUT', `/tags/${billing.id}`, { name: 'Invoices' });
    expect(((await renamed.json()) as TagBody).name).toBe('Invoices');
    expect((await send(app, owner.email, 'DELETE', `/tags/${billing.id}`)).status).toBe(204);
    expect((await readRows(app.db, 'auditLog', { accountId: acme })).map((a) => a.action)).toEqual(
      expect.arrayContaining(['tag.created', 'tag.updated', 'tag.deleted']),
    );
  });

  it('admins define tags as owners do; agents may not', async () => {
    const app = await createTestApp();
    await addAgent(app.db, { id: 'agt_acme_ada', email: 'ada@acme.test', name: 'Ada', role: 'admin' });
    expect((await send(app, 'ada@acme.test', 'POST', '/tags', { name: 'Bug' })).status).toBe(201);
    expect((await send(app, agent.email, 'POST', '/tags', { name: 'Spam' })).status).toBe(403);
    expect((await send(app, agent.email, 'DELETE', `/tags/${FIXTURE.tags.acmeRoses}`)).status).toBe(403);
    expect((await readRows(app.db, 'tags', { accountId: acme })).map((tag) => tag.name).sort()).toEqual([
      'Bug',
      'Roses',
    ]);
  });

  it('refuses a missing name, a wrong colour and a taken name field by field', async () => {
    const app = await createTestApp();
    const wrong = await send(app, owner.email, 'POST', '/tags', { name: ' ', color: 'red' });
    expect(wrong.status).toBe(422);
    const body = (await wrong.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(body.error.fields).sort()).toEqual(['color', 'name']);
    const taken = await send(app, owner.email, 'POST', '/tags', { name: 'ROSES' });
    expect(taken.status).toBe(422);
    expect((await send(app, owner.email, 'POST', '/tags', { name: 7 })).status).toBe(422);
  });

  it('an agent tags a chat they may see and every agent hears the new tags; a tag comes off the same way', async () => {
    const app = await createTestApp();
    const bug = (await (await send(app, owner.email, 'POST', '/tags', { name: 'Bug' })).json()) as TagBody;
    const added = await summariesDuring(app, async () => {
      expect(
        (await send(app, agent.email, 'PUT', `/conversations/${gpcWaiting}/tags/${bug.id}`)).status,
      ).toBe(204);
    });
    expect(added).toEqual([expect.objectContaining({ id: gpcWaiting, tags: ['Bug'] })]);
    const removed = await summariesDuring(app, async () => {
      expect(
        (await send(app, agent.email, 'DELETE', `/conversations/${gpcWaiting}/tags/${bug.id}`)).status,
      ).toBe(204);
    });
    expect(removed).toEqual([expect.objectContaining({ id: gpcWaiting, tags: [] })]);
    // Adam may not see Olivia's chat with Ben, so may not tag it.
    expect((await send(app, agent.email, 'PUT', `/conversations/${benActive}/tags/${bug.id}`)).status).toBe(
      403,
    );
    expect(await readRows(app.db, 'conversationTags', { tagId: bug.id })).toEqual([]);
  });

  it('renaming or deleting a tag tells agents the new tags of the open chats carrying it', async () => {
    const app = await createTestApp();
    const bug = (await (await send(app, owner.email, 'POST', '/tags', { name: 'Bug' })).json()) as TagBody;
    await send(app, owner.email, 'PUT', `/conversations/${benActive}/tags/${bug.id}`);
    const renamed = await summariesDuring(app, () =>
      send(app, owner.email, 'PUT', `/tags/${bug.id}`, { name: 'Defect' }),
    );
    expect(renamed).toEqual([expect.objectContaining({ id: benActive, tags: ['Defect'] })]);
    const deleted = await summariesDuring(app, () => send(app, owner.email, 'DELETE', `/tags/${bug.id}`));
    expect(deleted).toEqual([expect.objectContaining({ id: benActive, tags: [] })]);
  });

  it('lists the history by tag, and shows each conversation’s tags', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const list = async (query: string) =>
      (await (
        await app.request(`/app/api/conversations${query}`, { headers: { cookie: session.cookie } })
      ).json()) as {
        conversations: Array<{ id: string; tags?: string[] }>;
      };
    expect((await list(`?tag=${FIXTURE.tags.acmeRoses}`)).conversations).toEqual([
      expect.objectContaining({ id: annaClosed, tags: ['Roses'] }),
    ]);
    expect((await list('?tag=tag_none')).conversations).toEqual([]);
    const one = (await (
      await app.request(`/app/api/conversations/${annaClosed}`, { headers: { cookie: session.cookie } })
    ).json()) as { conversation: { tags?: string[] } };
    expect(one.conversation.tags).toEqual(['Roses']);
  });

  it("keeps accounts apart: another account's tags and conversations are not found", async () => {
    const app = await createTestApp();
    const listed = await send(app, globexOwner.email, 'GET', '/tags');
    expect(((await listed.json()) as { tags: unknown[] }).tags).toEqual([]);
    const roses = FIXTURE.tags.acmeRoses;
    expect((await send(app, globexOwner.email, 'PUT', `/tags/${roses}`, { name: 'Mine' })).status).toBe(404);
    expect((await send(app, globexOwner.email, 'DELETE', `/tags/${roses}`)).status).toBe(404);
    expect(
      (await send(app, globexOwner.email, 'PUT', `/conversations/${annaClosed}/tags/${roses}`)).status,
    ).toBe(404);
    const globexTag = (await (
      await send(app, globexOwner.email, 'POST', '/tags', { name: 'G' })
    ).json()) as TagBody;
    expect(
      (await send(app, owner.email, 'PUT', `/conversations/${annaClosed}/tags/${globexTag.id}`)).status,
    ).toBe(404);
    const session = await signIn(app, globexOwner.email);
    const foreign = (await (
      await app.request(`/app/api/conversations?tag=${roses}`, { headers: { cookie: session.cookie } })
    ).json()) as { conversations: unknown[] };
    expect(foreign.conversations).toEqual([]);
    expect(await readRows(app.db, 'conversationTags', { accountId: acme })).toHaveLength(1);
  });

  it('LOG-3: the statistics give conversations per tag, withholding counts over too few visitors', async () => {
    const app = await createTestApp();
    const session = await signIn(app, owner.email);
    const stats = (await (
      await app.request('/app/api/stats', { headers: { cookie: session.cookie } })
    ).json()) as {
      tags: Array<{ tag: { name: string }; value: number | null; suppressed: boolean; reason?: string }>;
    };
    expect(stats.tags).toEqual([
      expect.objectContaining({
        tag: { id: FIXTURE.tags.acmeRoses, name: 'Roses' },
        value: null,
        suppressed: true,
      }),
    ]);
  });
});
