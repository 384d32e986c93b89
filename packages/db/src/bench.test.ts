import { describe, expect, it } from 'vitest';
import { countMessages, countMessagesClosedBy, insertConversations } from './bench.ts';
import { countRows, createTestDatabase, FIXTURE } from './testing/index.ts';

describe('bench data', () => {
  it('inserts visitors with one conversation each and their messages, and counts them', async () => {
    const db = await createTestDatabase();
    const before = { all: countMessages(db), visitor: countMessages(db, 'visitor') };
    const accountId = FIXTURE.accounts.globex.id;
    const closed = insertConversations(db, {
      accountId,
      visitors: 3,
      messagesPerVisitor: 4,
      closedAt: 1_000,
      lastSeenAt: 1_000,
    });
    const open = insertConversations(db, {
      accountId,
      visitors: 2,
      messagesPerVisitor: 3,
      closedAt: null,
      lastSeenAt: 2_000,
    });
    expect(new Set([...closed, ...open]).size).toBe(5);
    expect(countMessages(db)).toBe(before.all + 3 * 4 + 2 * 3);
    // Visitor and agent take turns, the visitor first.
    expect(countMessages(db, 'visitor')).toBe(before.visitor + 3 * 2 + 2 * 2);
    expect(countMessagesClosedBy(db, 1_000)).toBe(3 * 4);
    expect(countMessagesClosedBy(db, 999)).toBe(0);
    for (const visitorId of closed)
      expect(await countRows(db, 'conversations', { visitorId, status: 'closed' })).toBe(1);
  });
});
