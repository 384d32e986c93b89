import { describe, expect, it } from 'vitest';
import type { ParleyDb } from '../connection.ts';
import { eraseVisitor, exportVisitor } from '../erase-visitor.ts';
import { atOnce } from '../testing/at-once.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW, insertRows } from '../testing/index.ts';
import { countRows, readRow, updateRows } from '../testing/rows.ts';
import { createWebsite, defaultWebsiteSettings } from '../websites/websites.ts';
import { getConversation } from './conversations.ts';
import {
  createDepartment,
  DepartmentError,
  deleteDepartment,
  listDepartments,
  listWebsiteDepartments,
  renameDepartment,
  setAgentCapacity,
  setDepartmentAgents,
  setWebsiteDepartments,
  websiteOffersDepartment,
} from './departments.ts';
import { addNote, listNotes } from './notes.ts';
import {
  accountRoutesChats,
  listQueue,
  routeConversation,
  routeQueue,
  TransferError,
  transferConversation,
} from './routing.ts';

const acme = FIXTURE.accounts.acme.id;
const G = FIXTURE.agents;
const C = FIXTURE.conversations;
const both = [G.acmeOwner.id, G.acmeAgent.id];

/** A waiting conversation of a new acme visitor, started `minutesAgo` before the fixture's now. */
async function waitingChat(
  db: ParleyDb,
  name: string,
  minutesAgo: number,
  departmentId: string | null = null,
): Promise<string> {
  const visitorId = `vis_${name}`;
  await insertRows(db, 'visitors', [
    { id: visitorId, accountId: acme, persistent: true, createdAt: FIXTURE_NOW, lastSeenAt: FIXTURE_NOW },
  ]);
  const id = `cnv_${name}`;
  await insertRows(db, 'conversations', [
    {
      id,
      accountId: acme,
      visitorId,
      status: 'waiting',
      startedAt: FIXTURE_NOW - minutesAgo * 60_000,
      departmentId,
    },
  ]);
  return id;
}

/** The seeded owner's active chat is closed, so that both acme agents start with no chats. */
async function freshAcme(): Promise<ParleyDb> {
  const db = await createTestDatabase();
  await updateRows(db, 'conversations', { status: 'closed', closedAt: FIXTURE_NOW }, { id: C.benActive });
  return db;
}

describe('departments', () => {
  it('are created, renamed, listed with their agents and deleted, within one account', async () => {
    const db = await createTestDatabase();
    const sales = await createDepartment(db, { accountId: acme, name: '  Sales ', now: FIXTURE_NOW });
    const support = await createDepartment(db, { accountId: acme, name: 'Support' });
    await setDepartmentAgents(db, { accountId: acme, departmentId: sales.id, agentIds: both });
    expect(await renameDepartment(db, { accountId: acme, departmentId: support.id, name: 'Help' })).toBe(
      true,
    );
    expect(
      await renameDepartment(db, {
        accountId: FIXTURE.accounts.globex.id,
        departmentId: sales.id,
        name: 'X',
      }),
    ).toBe(false);
    expect(await listDepartments(db, acme)).toEqual([
      { id: support.id, name: 'Help', createdAt: expect.any(Number), agentIds: [] },
      { id: sales.id, name: 'Sales', createdAt: FIXTURE_NOW, agentIds: both },
    ]);
    expect(await listDepartments(db, FIXTURE.accounts.globex.id)).toEqual([]);
    expect(await deleteDepartment(db, FIXTURE.accounts.globex.id, sales.id)).toBe(false);
    expect(await deleteDepartment(db, acme, sales.id)).toBe(true);
    expect(await countRows(db, 'departmentAgents')).toBe(0);
  });

  it('refuse an empty or taken name, and agents of another account', async () => {
    const db = await createTestDatabase();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    await expect(createDepartment(db, { accountId: acme, name: ' ' })).rejects.toMatchObject({
      code: 'invalid_name',
    });
    await expect(createDepartment(db, { accountId: acme, name: 'Sales' })).rejects.toBeInstanceOf(
      DepartmentError,
    );
    await expect(
      setDepartmentAgents(db, { accountId: acme, departmentId: sales.id, agentIds: [G.globexOwner.id] }),
    ).rejects.toMatchObject({ code: 'unknown_agent' });
    await expect(
      setAgentCapacity(db, { accountId: acme, agentId: G.acmeAgent.id, capacity: 0 }),
    ).rejects.toMatchObject({ code: 'invalid_capacity' });
    // Another account may use the same name.
    await createDepartment(db, { accountId: FIXTURE.accounts.globex.id, name: 'Sales' });
  });

  it("are offered in a website's pre-chat form only as the owner chose", async () => {
    const db = await createTestDatabase();
    const website = await createWebsite(db, acme, defaultWebsiteSettings('Shop'));
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    const support = await createDepartment(db, { accountId: acme, name: 'Support' });
    const foreign = await createDepartment(db, { accountId: FIXTURE.accounts.globex.id, name: 'Sales' });
    expect(await listWebsiteDepartments(db, acme, website.id)).toEqual([]);
    await setWebsiteDepartments(db, { accountId: acme, websiteId: website.id, departmentIds: [support.id] });
    expect(await listWebsiteDepartments(db, acme, website.id)).toEqual([{ id: support.id, name: 'Support' }]);
    const offers = (websiteId: string | null, departmentId: string) =>
      websiteOffersDepartment(db, { accountId: acme, websiteId, departmentId });
    expect(await offers(website.id, support.id)).toBe(true);
    expect(await offers(website.id, sales.id)).toBe(false);
    expect(await offers(null, sales.id)).toBe(true);
    expect(await offers(null, foreign.id)).toBe(false);
    await expect(
      setWebsiteDepartments(db, { accountId: acme, websiteId: website.id, departmentIds: [foreign.id] }),
    ).rejects.toMatchObject({ code: 'unknown_department' });
  });
});

describe('routing', () => {
  it('is what an account does from its first department on', async () => {
    const db = await createTestDatabase();
    expect(await accountRoutesChats(db, acme)).toBe(false);
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    expect(await accountRoutesChats(db, acme)).toBe(true);
    expect(await accountRoutesChats(db, FIXTURE.accounts.globex.id)).toBe(false);
    await deleteDepartment(db, acme, sales.id);
    expect(await accountRoutesChats(db, acme)).toBe(false);
  });

  it("gives a chat to a free agent of its department, round robin, and never past an agent's capacity", async () => {
    const db = await freshAcme();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    await setDepartmentAgents(db, { accountId: acme, departmentId: sales.id, agentIds: both });
    await setAgentCapacity(db, { accountId: acme, agentId: G.acmeOwner.id, capacity: 1 });
    const route = (conversationId: string, now: number) =>
      routeConversation(db, { accountId: acme, conversationId, candidates: both, now });
    // Neither was given a chat yet: the id breaks the tie. Then the other, least recently given, is next.
    expect(await route(await waitingChat(db, 'a', 9, sales.id), 1)).toBe(G.acmeAgent.id);
    expect(await route(await waitingChat(db, 'b', 8, sales.id), 2)).toBe(G.acmeOwner.id);
    // The owner is full (capacity 1): the next two go to Adam.
    expect(await route(await waitingChat(db, 'c', 7, sales.id), 3)).toBe(G.acmeAgent.id);
    expect(await route(await waitingChat(db, 'd', 6, sales.id), 4)).toBe(G.acmeAgent.id);
    // Adam is full too (the default of 3): the chat waits.
    const waiting = await waitingChat(db, 'e', 5, sales.id);
    expect(await route(waiting, 5)).toBeNull();
    expect(await readRow(db, 'conversations', { id: waiting })).toMatchObject({
      status: 'waiting',
      agentId: null,
    });
    expect(await readRow(db, 'conversations', { id: 'cnv_a' })).toMatchObject({
      status: 'active',
      agentId: G.acmeAgent.id,
      firstResponseAt: null,
    });
  });

  it("leaves a department's chat waiting when none of its agents is available", async () => {
    const db = await freshAcme();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    await setDepartmentAgents(db, { accountId: acme, departmentId: sales.id, agentIds: [G.acmeAgent.id] });
    const chat = await waitingChat(db, 'a', 1, sales.id);
    const candidates = [G.acmeOwner.id];
    expect(await routeConversation(db, { accountId: acme, conversationId: chat, candidates })).toBeNull();
    // Without a department, any available agent of the account.
    expect(await routeConversation(db, { accountId: acme, conversationId: C.gpcWaiting, candidates })).toBe(
      G.acmeOwner.id,
    );
    // Another account's agent is never a candidate.
    const other = await waitingChat(db, 'b', 1);
    expect(
      await routeConversation(db, { accountId: acme, conversationId: other, candidates: [G.globexOwner.id] }),
    ).toBeNull();
  });

  it('gives a chat to exactly one agent when two nodes route it at once', async () => {
    const db = await freshAcme();
    const results = await atOnce(db, [
      () =>
        routeConversation(db, {
          accountId: acme,
          conversationId: C.gpcWaiting,
          candidates: [G.acmeOwner.id],
        }),
      () =>
        routeConversation(db, {
          accountId: acme,
          conversationId: C.gpcWaiting,
          candidates: [G.acmeAgent.id],
        }),
    ]);
    const winners = results.filter((agentId) => agentId !== null);
    expect(winners).toHaveLength(1);
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({
      status: 'active',
      agentId: winners[0],
    });
  });

  it("fills an agent's last place once when two nodes route two chats to them at once", async () => {
    const db = await freshAcme();
    await setAgentCapacity(db, { accountId: acme, agentId: G.acmeAgent.id, capacity: 1 });
    const chats = [await waitingChat(db, 'a', 2), await waitingChat(db, 'b', 1)];
    const results = await atOnce(
      db,
      chats.map(
        (conversationId) => () =>
          routeConversation(db, { accountId: acme, conversationId, candidates: [G.acmeAgent.id] }),
      ),
    );
    expect(results.filter((agentId) => agentId !== null)).toEqual([G.acmeAgent.id]);
    expect(await countRows(db, 'conversations', { agentId: G.acmeAgent.id, status: 'active' })).toBe(1);
  });

  it('runs the queue oldest first and tells each waiting chat its place in its own queue', async () => {
    const db = await freshAcme();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    await setDepartmentAgents(db, { accountId: acme, departmentId: sales.id, agentIds: [G.acmeAgent.id] });
    await setAgentCapacity(db, { accountId: acme, agentId: G.acmeAgent.id, capacity: 1 });
    const older = await waitingChat(db, 'older', 20, sales.id);
    const newer = await waitingChat(db, 'newer', 10, sales.id);
    const positions = async () =>
      Object.fromEntries((await listQueue(db, acme)).map((place) => [place.conversationId, place.position]));
    expect(await positions()).toEqual({ [older]: 1, [newer]: 2, [C.gpcWaiting]: 1 });
    expect(await routeQueue(db, { accountId: acme, candidates: [G.acmeAgent.id] })).toEqual([
      { conversationId: older, agentId: G.acmeAgent.id },
    ]);
    expect(await positions()).toEqual({ [newer]: 1, [C.gpcWaiting]: 1 });
    expect(await routeQueue(db, { accountId: acme, candidates: [] })).toEqual([]);
  });
});

describe('transfers', () => {
  it("hand a chat to another agent, with the note kept for the account's agents", async () => {
    const db = await createTestDatabase();
    const { note } = await transferConversation(db, {
      accountId: acme,
      conversationId: C.benActive,
      byAgentId: G.acmeOwner.id,
      to: { agentId: G.acmeAgent.id },
      note: ' Wants a refund ',
      now: FIXTURE_NOW,
    });
    expect(note).toMatchObject({
      agentId: G.acmeOwner.id,
      agentName: G.acmeOwner.name,
      body: 'Wants a refund',
    });
    expect((await getConversation(db, acme, C.benActive))?.agentId).toBe(G.acmeAgent.id);
    expect(await listNotes(db, acme, C.benActive)).toEqual([note]);
  });

  it("hand a chat to a department's queue, and refuse what is not the account's or has ended", async () => {
    const db = await createTestDatabase();
    const sales = await createDepartment(db, { accountId: acme, name: 'Sales' });
    const transfer = (conversationId: string, to: { agentId: string } | { departmentId: string }) =>
      transferConversation(db, { accountId: acme, conversationId, byAgentId: G.acmeOwner.id, to });
    expect(await transfer(C.benActive, { departmentId: sales.id })).toEqual({ note: null });
    expect(await getConversation(db, acme, C.benActive)).toMatchObject({
      status: 'waiting',
      agentId: null,
      department: { id: sales.id, name: 'Sales' },
    });
    await expect(transfer(C.annaClosed, { agentId: G.acmeAgent.id })).rejects.toMatchObject({
      code: 'conversation_closed',
    });
    await expect(transfer(C.gwenWaiting, { agentId: G.acmeAgent.id })).rejects.toBeInstanceOf(TransferError);
    await expect(transfer(C.benActive, { agentId: G.globexOwner.id })).rejects.toMatchObject({
      code: 'unknown_agent',
    });
  });
});

describe('internal notes', () => {
  it("are in the visitor's access export and go with the visitor's erasure", async () => {
    const db = await createTestDatabase();
    const visitorId = FIXTURE.visitors.ben.id;
    const note = await addNote(db, {
      accountId: acme,
      conversationId: C.benActive,
      agentId: G.acmeOwner.id,
      body: 'Prefers a call back',
      now: FIXTURE_NOW,
    });
    expect(
      await addNote(db, { ...note!, accountId: FIXTURE.accounts.globex.id, agentId: G.globexOwner.id }),
    ).toBe(null);
    const exported = await exportVisitor(db, { accountId: acme, visitorId });
    expect(exported.notes).toEqual([
      {
        id: note!.id,
        conversation_id: C.benActive,
        account_id: acme,
        visitor_id: visitorId,
        agent_id: G.acmeOwner.id,
        body: 'Prefers a call back',
        created_at: FIXTURE_NOW,
      },
    ]);
    const erased = await eraseVisitor(db, {
      accountId: acme,
      visitorId,
      reason: 'request',
      actor: { kind: 'system' },
    });
    expect(erased.counts.notes).toBe(1);
    expect(await countRows(db, 'notes', { visitorId })).toBe(0);
    expect(await countRows(db, 'notes', { visitorId: FIXTURE.visitors.anna.id })).toBe(1);
  });
});
