import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import { conversationStatistics, publishStatistic } from './aggregates.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';

const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;

describe('LOG-3: statistics over fewer people than the minimum group size are suppressed', () => {
  it.each([
    [0, true],
    [1, true],
    [9, true],
    [10, false],
    [250, false],
  ])('%i people → suppressed: %s', (people, suppressed) => {
    const figure = publishStatistic(policy, 'chats_per_day', 4.2, people);
    expect(figure.suppressed).toBe(suppressed);
    expect(figure.value).toBe(suppressed ? null : 4.2);
  });

  it('follows the minimum group size the policy declares', () => {
    const stricter = { ...policy, statistics: { minimumGroupSize: 300 } };
    expect(publishStatistic(stricter, 'x', 1, 250).suppressed).toBe(true);
  });

  it("SHR-3: withholds an account's figures while it has had few visitors, and publishes them once enough have chatted", async () => {
    const db = await createTestDatabase();
    const range = { from: FIXTURE_NOW - 7 * DAY, to: FIXTURE_NOW + DAY };
    const small = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, range);
    expect(small.every((s) => s.suppressed && s.value === null)).toBe(true);

    const insertVisitor = db.sqlite.prepare(
      "INSERT INTO visitors (id, account_id, chat_id_hash, persistent, created_at, last_seen_at) VALUES (?, 'acc_acme', ?, 1, ?, ?)",
    );
    const insertConversation = db.sqlite.prepare(
      "INSERT INTO conversations (id, account_id, visitor_id, status, started_at, first_response_at, closed_at, rating) VALUES (?, 'acc_acme', ?, 'closed', ?, ?, ?, ?)",
    );
    for (let i = 0; i < 12; i++) {
      insertVisitor.run(`vis_many_${i}`, `hash_${i}`, FIXTURE_NOW - DAY, FIXTURE_NOW - DAY);
      insertConversation.run(
        `cnv_many_${i}`,
        `vis_many_${i}`,
        FIXTURE_NOW - DAY,
        FIXTURE_NOW - DAY + 30_000,
        FIXTURE_NOW - DAY + 60_000,
        4,
      );
    }
    const large = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, range);
    expect(large.find((s) => s.name === 'average_rating')).toMatchObject({ suppressed: false });
    expect(large.find((s) => s.name === 'chats_per_day')?.value).toBeGreaterThan(0);
  });
});
