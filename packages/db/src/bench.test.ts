import { describe, expect, it } from 'vitest';
import { countMessages, countMessagesClosedBy, dropSearchIndex, insertConversations } from './bench.ts';
import { searchConversations } from './search/search.ts';
import { createTag } from './tags/tags.ts';
import { countRows, createTestDatabase, FIXTURE, insertRows, readRows } from './testing/index.ts';

describe('bench data', () => {
  it('inserts visitors with one conversation each and their messages, and counts them', async () => {
    const db = await createTestDatabase();
    const before = { all: await countMessages(db), visitor: await countMessages(db, 'visitor') };
    const accountId = FIXTURE.accounts.globex.id;
    const closed = await insertConversations(db, {
      accountId,
      visitors: 3,
      messagesPerVisitor: 4,
      closedAt: 1_000,
      lastSeenAt: 1_000,
    });
    const open = await insertConversations(db, {
      accountId,
      visitors: 2,
      messagesPerVisitor: 3,
      closedAt: null,
      lastSeenAt: 2_000,
    });
    expect(new Set([...closed, ...open]).size).toBe(5);
    expect(await countMessages(db)).toBe(before.all + 3 * 4 + 2 * 3);
    // Visitor and agent take turns, the visitor first.
    expect(await countMessages(db, 'visitor')).toBe(before.visitor + 3 * 2 + 2 * 2);
    expect(await countMessagesClosedBy(db, 1_000)).toBe(3 * 4);
    expect(await countMessagesClosedBy(db, 999)).toBe(0);
    for (const visitorId of closed)
      expect(await countRows(db, 'conversations', { visitorId, status: 'closed' })).toBe(1);
  });

  it('fills visitors with more messages than one insert carries, every message counted once', async () => {
    const db = await createTestDatabase({ seed: false });
    await insertRows(db, 'accounts', [
      { id: 'acc_bench', publicKey: 'pk_bench', organization: 'Bench', region: 'DE', createdAt: 1 },
    ]);
    const ids = await insertConversations(db, {
      accountId: 'acc_bench',
      visitors: 3,
      messagesPerVisitor: 1_001,
      closedAt: 1_000,
      lastSeenAt: 1_000,
      bodyBytes: 1,
    });
    expect(ids).toHaveLength(3);
    expect(await countMessages(db)).toBe(3 * 1_001);
    for (const visitorId of ids) expect(await countRows(db, 'messages', { visitorId })).toBe(1_001);
  });

  it('gives conversations the facts a search filters by and messages their own words; the index can be dropped', async () => {
    const db = await createTestDatabase();
    const accountId = FIXTURE.accounts.globex.id;
    const agentId = FIXTURE.agents.globexOwner.id;
    const tag = await createTag(db, accountId, { name: 'Bench' });
    const spec = { accountId, visitors: 2, messagesPerVisitor: 2, closedAt: 1_000, lastSeenAt: 1_000 };
    await insertConversations(db, {
      ...spec,
      bodies: (v, m) => `visitor ${v} asks about tulip${m}`,
      details: (v) => ({ startedAt: 500 + v, agentId, rating: v + 4, tagId: v === 0 ? tag.id : null }),
    });
    const stored = await readRows(db, 'conversations', { accountId, agentId });
    expect(stored.map((c) => [c.startedAt, c.rating]).sort()).toEqual([
      [500, 4],
      [501, 5],
    ]);
    expect(await countRows(db, 'conversationTags', { tagId: tag.id })).toBe(1);
    const search = async (text: string) =>
      (
        await searchConversations(db, {
          accountId,
          viewer: { agentId, allConversations: true },
          text,
          limit: 10,
        })
      ).items.length;
    expect(await search('tulip1')).toBe(2);
    await dropSearchIndex(db);
    await insertConversations(db, { ...spec, bodies: () => 'daffodils' });
    // SQLite's index is no longer kept; PostgreSQL reads every message instead.
    expect(await search('daffodils')).toBe(db.dialect === 'sqlite' ? 0 : 2);
  });
});
