import { describe, expect, it } from 'vitest';
import { hashChatId } from '../ids.ts';
import { atOnce } from '../testing/at-once.ts';
import {
  countRows,
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRow,
  updateRows,
} from '../testing/index.ts';
import {
  assignAgent,
  closeConversation,
  findConversationTarget,
  findOpenConversationId,
  findVisitorConversation,
  getConversation,
  listConversations,
  listOpenConversations,
  openConversationInTransaction,
  openConversationsInTransaction,
  rateConversation,
  recordSeen,
} from './conversations.ts';

const acme = FIXTURE.accounts.acme.id;
const C = FIXTURE.conversations;
const V = FIXTURE.visitors;
const G = FIXTURE.agents;

describe('reading conversations', () => {
  it('gets one with its visitor, its agent and its last message', async () => {
    const db = await createTestDatabase();
    expect(await getConversation(db, acme, C.benActive)).toEqual({
      id: C.benActive,
      accountId: acme,
      visitorId: V.ben.id,
      status: 'active',
      agentId: G.acmeOwner.id,
      agentName: G.acmeOwner.name,
      startedAt: FIXTURE_NOW - 30 * 60_000,
      firstResponseAt: FIXTURE_NOW - 29 * 60_000,
      closedAt: null,
      rating: null,
      ratingComment: null,
      visitorSeenId: null,
      visitorSeenAt: null,
      agentSeenId: null,
      agentSeenAt: null,
      spamAt: null,
      spamReportedBy: null,
      website: null,
      department: null,
      visitor: {
        name: null,
        email: null,
        country: 'AT',
        locale: 'de-AT',
        currentPage: 'https://acme.test/tulips',
        timeZone: null,
        browser: null,
        system: null,
        pages: [],
        earlier: [],
        chatIdHash: hashChatId(V.ben.chatId),
      },
      lastMessage: expect.objectContaining({
        id: 'msg_ben_2',
        author: 'agent',
        agentName: G.acmeOwner.name,
        body: 'Yes, all of them.',
      }),
    });
    expect(await getConversation(db, acme, 'cnv_missing')).toBeNull();
  });

  it('takes as the last message the one written last among messages of the same millisecond', async () => {
    const db = await createTestDatabase();
    const message = (id: string) => ({
      id,
      conversationId: C.benActive,
      accountId: acme,
      visitorId: V.ben.id,
      author: 'visitor' as const,
      body: id,
      clientKey: `key_${id}`,
      createdAt: FIXTURE_NOW,
    });
    // Ids in the opposite order to the order written: only the write order can tell which came last.
    await insertRows(db, 'messages', [message('msg_z_first')]);
    await insertRows(db, 'messages', [message('msg_a_second')]);
    expect((await getConversation(db, acme, C.benActive))?.lastMessage?.id).toBe('msg_a_second');
  });

  it('routes a frame to a visitor by their chat-id hash, or under a privacy signal by their id', async () => {
    const db = await createTestDatabase();
    expect(await findConversationTarget(db, acme, C.benActive)).toEqual({
      id: C.benActive,
      status: 'active',
      agentId: G.acmeOwner.id,
      visitorId: V.ben.id,
      chatIdHash: hashChatId(V.ben.chatId),
      spamAt: null,
      spamReportedBy: null,
    });
    expect(await findConversationTarget(db, acme, C.gpcWaiting)).toMatchObject({ chatIdHash: V.gpc.id });
  });

  it("lists the account's open conversations, oldest first", async () => {
    const db = await createTestDatabase();
    const open = await listOpenConversations(db, acme);
    expect(open.map((c) => c.id)).toEqual([C.benActive, C.gpcWaiting]);
    expect(open[1]?.lastMessage).toMatchObject({ id: 'msg_gpc_1', body: 'Hello, anyone there?' });
  });

  it('pages through conversations newest first, and filters them by status and by who may see them', async () => {
    const db = await createTestDatabase();
    const first = await listConversations(db, acme, { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([C.gpcWaiting, C.benActive]);
    expect(first.next).toEqual({ startedAt: FIXTURE_NOW - 30 * 60_000, id: C.benActive });
    const second = await listConversations(db, acme, { limit: 2, after: first.next! });
    expect(second.items.map((c) => c.id)).toEqual([C.annaClosed]);
    expect(second.next).toBeNull();

    const closed = await listConversations(db, acme, { limit: 10, statuses: ['closed'] });
    expect(closed.items.map((c) => c.id)).toEqual([C.annaClosed]);
    const open = await listConversations(db, acme, { limit: 10, statuses: ['waiting', 'active'] });
    expect(open.items.map((c) => c.id)).toEqual([C.gpcWaiting, C.benActive]);
    // An agent who holds no conversation sees only the waiting ones.
    const seen = await listConversations(db, acme, { limit: 10, seenBy: G.acmeAgent.id });
    expect(seen.items.map((c) => c.id)).toEqual([C.gpcWaiting]);
  });

  it("finds the visitor's open conversation, else one that closed recently enough", async () => {
    const db = await createTestDatabase();
    const { closedAt } = await readRow(db, 'conversations', { id: C.annaClosed });
    const find = (visitorId: string, closedSince: number) =>
      findVisitorConversation(db, { accountId: acme, visitorId, closedSince });
    expect((await find(V.ben.id, 0))?.id).toBe(C.benActive);
    expect((await find(V.anna.id, closedAt!))?.id).toBe(C.annaClosed);
    expect(await find(V.anna.id, closedAt! + 1)).toBeNull();
    expect(await findOpenConversationId(db, acme, V.ben.id)).toBe(C.benActive);
    expect(await findOpenConversationId(db, acme, V.anna.id)).toBeNull();
  });
});

describe("a visitor's open conversation", () => {
  it('is the one they have, or a new waiting one', async () => {
    const db = await createTestDatabase();
    expect(await openConversationInTransaction(db, { accountId: acme, visitorId: V.ben.id })).toEqual({
      conversationId: C.benActive,
      created: false,
    });
    const started = await openConversationInTransaction(db, {
      accountId: acme,
      visitorId: V.anna.id,
      now: FIXTURE_NOW,
    });
    expect(started.created).toBe(true);
    expect(await readRow(db, 'conversations', { id: started.conversationId })).toMatchObject({
      accountId: acme,
      visitorId: V.anna.id,
      status: 'waiting',
      agentId: null,
      startedAt: FIXTURE_NOW,
    });
  });

  it('is started once when two requests ask for it at once', async () => {
    const db = await createTestDatabase();
    const input = { accountId: acme, visitorId: V.anna.id };
    const opened = await atOnce(db, [
      () => openConversationInTransaction(db, input),
      () => openConversationInTransaction(db, input),
    ]);
    expect(new Set(opened.map((o) => o.conversationId)).size).toBe(1);
    expect(opened.filter((o) => o.created)).toHaveLength(1);
    expect(await countRows(db, 'conversations', { visitorId: V.anna.id, status: 'waiting' })).toBe(1);
  });

  it("is each visitor's of many, in the order asked, a visitor asked for twice getting one started once", async () => {
    const db = await createTestDatabase();
    const globex = FIXTURE.accounts.globex.id;
    const opened = await openConversationsInTransaction(db, [
      { accountId: acme, visitorId: V.anna.id, now: FIXTURE_NOW },
      { accountId: acme, visitorId: V.ben.id },
      { accountId: globex, visitorId: V.gwen.id },
      { accountId: acme, visitorId: V.anna.id, now: FIXTURE_NOW + 1 },
      { accountId: acme, visitorId: V.gpc.id },
    ]);
    const [anna, ben, gwen, annaAgain, gpc] = opened;
    expect(anna).toMatchObject({ created: true });
    expect(annaAgain).toEqual({ conversationId: anna!.conversationId, created: false });
    expect(ben).toEqual({ conversationId: C.benActive, created: false });
    expect(gwen).toEqual({ conversationId: C.gwenWaiting, created: false });
    expect(gpc).toEqual({ conversationId: C.gpcWaiting, created: false });
    expect(await countRows(db, 'conversations', { visitorId: V.anna.id, status: 'waiting' })).toBe(1);
    expect(await readRow(db, 'conversations', { id: anna!.conversationId })).toMatchObject({
      accountId: acme,
      startedAt: FIXTURE_NOW,
    });
  });

  it('does not take another account’s conversation for the visitor’s', async () => {
    const db = await createTestDatabase();
    const globex = FIXTURE.accounts.globex.id;
    const [opened] = await openConversationsInTransaction(db, [{ accountId: globex, visitorId: V.ben.id }]);
    expect(opened).toMatchObject({ created: true });
    expect(opened!.conversationId).not.toBe(C.benActive);
  });

  it('is started once per visitor when two batches with visitors in common, in opposite orders, run at once', async () => {
    const db = await createTestDatabase();
    const visitors = [V.anna.id, V.optedOut.id].map((visitorId) => ({ accountId: acme, visitorId }));
    const opened = await atOnce(db, [
      () => openConversationsInTransaction(db, visitors),
      () => openConversationsInTransaction(db, [...visitors].reverse()),
    ]);
    const [first, second] = opened;
    expect(second!.map((o) => o.conversationId).reverse()).toEqual(first!.map((o) => o.conversationId));
    expect(opened.flat().filter((o) => o.created)).toHaveLength(2);
    for (const { visitorId } of visitors)
      expect(await countRows(db, 'conversations', { visitorId, status: 'waiting' })).toBe(1);
  });
});

describe('answering, closing and rating', () => {
  it('gives a waiting conversation to exactly one of two agents who answer at once', async () => {
    const db = await createTestDatabase();
    const claims = [
      { agentId: G.acmeAgent.id, now: 1000 },
      { agentId: G.acmeOwner.id, now: 2000 },
    ];
    const results = await atOnce(
      db,
      claims.map(
        (claim) => () => assignAgent(db, { accountId: acme, conversationId: C.gpcWaiting, ...claim }),
      ),
    );
    const winners = claims.filter((_, i) => results[i]?.changed);
    expect(winners).toHaveLength(1);
    expect(await readRow(db, 'conversations', { id: C.gpcWaiting })).toMatchObject({
      status: 'active',
      agentId: winners[0]?.agentId,
      firstResponseAt: winners[0]?.now,
    });
  });

  it('takes over a conversation handed back to the queue, keeping its first response time', async () => {
    const db = await createTestDatabase();
    await updateRows(db, 'conversations', { agentId: null }, { id: C.benActive });
    const taken = await assignAgent(db, {
      accountId: acme,
      conversationId: C.benActive,
      agentId: G.acmeAgent.id,
      now: FIXTURE_NOW,
    });
    expect(taken.changed).toBe(true);
    expect(await readRow(db, 'conversations', { id: C.benActive })).toMatchObject({
      status: 'active',
      agentId: G.acmeAgent.id,
      firstResponseAt: FIXTURE_NOW - 29 * 60_000,
    });
  });

  it('leaves a closed conversation with its agent', async () => {
    const db = await createTestDatabase();
    const input = { accountId: acme, conversationId: C.annaClosed, agentId: G.acmeAgent.id };
    expect((await assignAgent(db, input)).changed).toBe(false);
    expect(await readRow(db, 'conversations', { id: C.annaClosed })).toMatchObject({
      status: 'closed',
      agentId: G.acmeOwner.id,
    });
  });

  it('closes an open conversation once', async () => {
    const db = await createTestDatabase();
    const close = (now: number) =>
      closeConversation(db, { accountId: acme, conversationId: C.benActive, now });
    expect(await close(FIXTURE_NOW)).toBe(true);
    expect(await close(FIXTURE_NOW + 1)).toBe(false);
    expect(await readRow(db, 'conversations', { id: C.benActive })).toMatchObject({
      status: 'closed',
      closedAt: FIXTURE_NOW,
    });
    expect(await findOpenConversationId(db, acme, V.ben.id)).toBeNull();
  });

  it('takes a rating only for a closed conversation, and a second one replaces the first', async () => {
    const db = await createTestDatabase();
    const rate = (conversationId: string, rating: number, comment?: string) =>
      rateConversation(db, { accountId: acme, conversationId, rating, comment });
    expect(await rate(C.benActive, 4)).toBe(false);
    expect(await rate(C.annaClosed, 2, 'Slow answer')).toBe(true);
    expect(await rate(C.annaClosed, 3)).toBe(true);
    expect(await readRow(db, 'conversations', { id: C.annaClosed })).toMatchObject({
      rating: 3,
      ratingComment: null,
    });
    expect(await readRow(db, 'conversations', { id: C.benActive })).toMatchObject({ rating: null });
  });
});

describe('seen receipts', () => {
  const seen = (
    by: 'visitor' | 'agent',
    messageId: string,
    now: number,
    conversationId: string = C.benActive,
  ) => ({
    accountId: acme,
    conversationId,
    by,
    messageId,
    now,
  });

  it('keeps what each side saw last, with the time, and shows it with the conversation', async () => {
    const db = await createTestDatabase();
    expect(await recordSeen(db, seen('visitor', 'msg_ben_2', FIXTURE_NOW - 1000))).toBe('recorded');
    expect(await recordSeen(db, seen('agent', 'msg_ben_1', FIXTURE_NOW - 500))).toBe('recorded');
    expect(await getConversation(db, acme, C.benActive)).toMatchObject({
      visitorSeenId: 'msg_ben_2',
      visitorSeenAt: FIXTURE_NOW - 1000,
      agentSeenId: 'msg_ben_1',
      agentSeenAt: FIXTURE_NOW - 500,
    });
  });

  it('never moves back to an older message, nor records the same one twice', async () => {
    const db = await createTestDatabase();
    await recordSeen(db, seen('visitor', 'msg_ben_2', FIXTURE_NOW - 1000));
    expect(await recordSeen(db, seen('visitor', 'msg_ben_1', FIXTURE_NOW))).toBe('older');
    expect(await recordSeen(db, seen('visitor', 'msg_ben_2', FIXTURE_NOW))).toBe('older');
    expect(await getConversation(db, acme, C.benActive)).toMatchObject({
      visitorSeenId: 'msg_ben_2',
      visitorSeenAt: FIXTURE_NOW - 1000,
    });
  });

  it("refuses a message of another conversation, or another account's conversation", async () => {
    const db = await createTestDatabase();
    expect(await recordSeen(db, seen('visitor', 'msg_anna_1', FIXTURE_NOW))).toBe('unknown');
    expect(await recordSeen(db, seen('agent', 'msg_gwen_1', FIXTURE_NOW, C.gwenWaiting))).toBe('unknown');
    expect(await recordSeen(db, seen('agent', 'msg_nothing', FIXTURE_NOW))).toBe('unknown');
    expect(await getConversation(db, acme, C.benActive)).toMatchObject({
      visitorSeenId: null,
      agentSeenId: null,
    });
  });
});
