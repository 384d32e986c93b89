import { contentInForce, parleyPolicy } from '@parley/policy';
import { describe, expect, it } from 'vitest';
import {
  conversationStatistics,
  publishStatistic,
  type Statistic,
  USAGE_FIGURES,
  type UsageFigure,
  UsageFigureError,
} from './aggregates.ts';
import { classification } from './classification.ts';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { createTestDatabase, FIXTURE, FIXTURE_NOW } from './testing/index.ts';

const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;
const RANGE = { from: FIXTURE_NOW - 7 * DAY, to: FIXTURE_NOW + DAY };

/** `n` more Acme visitors, each with a named, emailed, rated conversation from yesterday. */
function addChattedVisitors(db: ParleyDb, n: number): void {
  const insertVisitor = sqliteOf(db).prepare(
    "INSERT INTO visitors (id, account_id, chat_id_hash, persistent, name, email, country, current_page, created_at, last_seen_at) VALUES (?, 'acc_acme', ?, 1, ?, ?, 'AT', ?, ?, ?)",
  );
  const insertConversation = sqliteOf(db).prepare(
    "INSERT INTO conversations (id, account_id, visitor_id, status, started_at, first_response_at, closed_at, rating, rating_comment) VALUES (?, 'acc_acme', ?, 'closed', ?, ?, ?, ?, ?)",
  );
  for (let i = 0; i < n; i++) {
    insertVisitor.run(
      `vis_many_${i}`,
      `hash_${i}`,
      `Visitor Number ${i}`,
      `visitor${i}@example.org`,
      `https://acme.test/page-${i}`,
      FIXTURE_NOW - DAY,
      FIXTURE_NOW - DAY,
    );
    insertConversation.run(
      `cnv_many_${i}`,
      `vis_many_${i}`,
      FIXTURE_NOW - DAY,
      FIXTURE_NOW - DAY + 30_000,
      FIXTURE_NOW - DAY + 60_000,
      4,
      `Comment from visitor ${i}`,
    );
  }
}

/** Every value the database holds about a person: each personal column, and each id that links a row to one. */
function valuesAboutPeople(db: ParleyDb): string[] {
  const values = new Set<string>();
  for (const [table, t] of Object.entries(classification)) {
    for (const [column, c] of Object.entries(t.columns)) {
      if (c.kind === 'not_personal') continue;
      const rows = sqliteOf(db)
        .prepare(`SELECT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL`)
        .all();
      for (const { v } of rows as Array<{ v: unknown }>) {
        // Numbers (a rating, a flag) are measures, not identifiers; a text too short to point at anyone is skipped.
        if (typeof v === 'string' && v.length >= 4) values.add(v);
      }
    }
  }
  return [...values];
}

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
    expect(publishStatistic(stricter, 'chats_per_day', 1, 250).suppressed).toBe(true);
  });

  it("SHR-3: withholds an account's figures while it has had few visitors, and publishes them once enough have chatted", async () => {
    const db = await createTestDatabase();
    const small = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(small.every((s) => s.suppressed && s.value === null)).toBe(true);

    addChattedVisitors(db, 12);
    const large = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(large.find((s) => s.name === 'average_rating')).toMatchObject({ suppressed: false });
    expect(large.find((s) => s.name === 'chats_per_day')?.value).toBeGreaterThan(0);
  });
});

describe('LOG-2: usage data is non-identifying', () => {
  it('LOG-2: a figure is published only under a declared usage name, never under a value from the data', () => {
    const name = FIXTURE.visitors.anna.email as unknown as UsageFigure;
    expect(() => publishStatistic(policy, name, 1, 20)).toThrow(UsageFigureError);
    expect(() => publishStatistic(policy, name, 1, 20)).not.toThrow(FIXTURE.visitors.anna.email);
  });

  it.each([
    ['a visitor id as the value', FIXTURE.visitors.anna.id, 20],
    ['an endless value', Number.POSITIVE_INFINITY, 20],
    ['a group size that is not a count', 1, 2.5],
    ['a negative group size', 1, -1],
  ])('LOG-2: refuses a figure with %s', (_title, value, people) => {
    expect(() => publishStatistic(policy, 'chats_per_day', value as number, people)).toThrow(
      UsageFigureError,
    );
  });

  it('LOG-2: every field of every usage figure is a declared name, a number, a flag or the fixed reason', async () => {
    const db = await createTestDatabase();
    addChattedVisitors(db, 12);
    const figures: Statistic[] = [
      ...(await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE)),
      ...(await conversationStatistics(db, policy, FIXTURE.accounts.globex.id, RANGE)),
      ...(await conversationStatistics(db, policy, null, RANGE)),
    ];
    expect(figures.some((f) => f.suppressed)).toBe(true);
    expect(figures.some((f) => !f.suppressed)).toBe(true);
    for (const figure of figures) {
      const { name, value, people, suppressed, ...rest } = figure;
      expect(USAGE_FIGURES).toContain(name);
      expect(value === null || Number.isFinite(value)).toBe(true);
      expect(Number.isSafeInteger(people)).toBe(true);
      expect(typeof suppressed).toBe('boolean');
      expect(rest).toEqual(
        suppressed ? { reason: `computed over fewer than ${policy.statistics.minimumGroupSize} people` } : {},
      );
    }
  });

  it('LOG-2: the figures computed from the seeded data set hold no id, email, name, IP address, page or other value about a person', async () => {
    const db = await createTestDatabase();
    addChattedVisitors(db, 12);
    const about = valuesAboutPeople(db);
    // The data set does hold such values, so the check below has something to find.
    expect(about).toEqual(
      expect.arrayContaining([
        FIXTURE.visitors.anna.id,
        FIXTURE.visitors.anna.email,
        FIXTURE.visitors.anna.name,
        '203.0.113.0',
        'visitor3@example.org',
      ]),
    );
    const published = JSON.stringify([
      await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE),
      await conversationStatistics(db, policy, null, RANGE),
    ]);
    expect(about.filter((value) => published.includes(value))).toEqual([]);
  });
});
