import { describe, expect, it } from 'vitest';
import { countMessages, countMessagesClosedBy, insertConversations } from './bench.ts';
import { countRows, createTestDatabase, FIXTURE, insertRows } from './testing/index.ts';

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
});
