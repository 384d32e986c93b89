import { contentInForce, parleyPolicy } from '@parley/policy';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import {
  conversationStatistics,
  publishStatistic,
  type Statistic,
  USAGE_FIGURES,
  type UsageFigure,
  UsageFigureError,
} from './aggregates.ts';
import { reportSpam } from './chat/spam.ts';
import { classification } from './classification.ts';
import type { ParleyDb } from './connection.ts';
import * as schema from './schema.ts';
import {
  createTestDatabase,
  FIXTURE,
  FIXTURE_NOW,
  insertRows,
  readRows,
  type TableName,
} from './testing/index.ts';

const policy = contentInForce(parleyPolicy);
const DAY = 86_400_000;
const RANGE = { from: FIXTURE_NOW - 7 * DAY, to: FIXTURE_NOW + DAY };

/** `n` more Acme visitors (numbered from `first`), each with a named, emailed, rated conversation from yesterday. */
async function addChattedVisitors(db: ParleyDb, n: number, first = 0): Promise<void> {
  const numbers = Array.from({ length: n }, (_, i) => first + i);
  await insertRows(
    db,
    'visitors',
    numbers.map((i) => ({
      id: `vis_many_${i}`,
      accountId: 'acc_acme',
      chatIdHash: `hash_${i}`,
      persistent: true,
      name: `Visitor Number ${i}`,
      email: `visitor${i}@example.org`,
      country: 'AT',
      currentPage: `https://acme.test/page-${i}`,
      createdAt: FIXTURE_NOW - DAY,
      lastSeenAt: FIXTURE_NOW - DAY,
    })),
  );
  await insertRows(
    db,
    'conversations',
    numbers.map((i) => ({
      id: `cnv_many_${i}`,
      accountId: 'acc_acme',
      visitorId: `vis_many_${i}`,
      status: 'closed' as const,
      startedAt: FIXTURE_NOW - DAY,
      firstResponseAt: FIXTURE_NOW - DAY + 30_000,
      closedAt: FIXTURE_NOW - DAY + 60_000,
      rating: 4,
      ratingComment: `Comment from visitor ${i}`,
    })),
  );
}

/**
 * Each table's name in the schema (`noticeOutbox`) and its fields by column name (`to_email` → `toEmail`), by its
 * name in the database (`notice_outbox`), as the classification names them.
 */
const schemaNames = new Map<string, { name: TableName; fields: Map<string, string> }>(
  Object.entries(schema).flatMap(([name, table]) => {
    if (!is(table, SQLiteTable)) return [];
    const fields = new Map(
      Object.entries(getTableColumns(table)).map(([field, column]) => [column.name, field]),
    );
    return [[getTableName(table), { name: name as TableName, fields }]];
  }),
);

/** Every value the database holds about a person: each personal column, and each id that links a row to one. */
async function valuesAboutPeople(db: ParleyDb): Promise<string[]> {
  const values = new Set<string>();
  for (const [table, t] of Object.entries(classification)) {
    const found = schemaNames.get(table);
    if (!found) throw new Error(`the classification names a table the schema lacks: ${table}`);
    const rows = (await readRows(db, found.name)) as Array<Record<string, unknown>>;
    for (const [column, c] of Object.entries(t.columns)) {
      if (c.kind === 'not_personal') continue;
      const field = found.fields.get(column);
      if (!field) throw new Error(`the classification names a column ${table} lacks: ${column}`);
      for (const row of rows) {
        const v = row[field];
        // JSON is compared as the text it is stored as.
        const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
        // Numbers (a rating, a flag) are measures, not identifiers; a text too short to point at anyone is skipped.
        if (typeof text === 'string' && text.length >= 4) values.add(text);
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

    await addChattedVisitors(db, 12);
    const large = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(large.find((s) => s.name === 'average_rating')).toMatchObject({ suppressed: false });
    expect(large.find((s) => s.name === 'chats_per_day')?.value).toBeGreaterThan(0);
  });

  it('LOG-3: counts distinct people, not conversations, and withholds a figure one person short of the minimum', async () => {
    const db = await createTestDatabase();
    const minimum = policy.statistics.minimumGroupSize;
    // The fixture's three Acme visitors have chatted in the range; one more visitor short of the minimum joins them.
    await addChattedVisitors(db, minimum - 4);
    // A returning visitor adds a conversation but no person.
    await insertRows(db, 'conversations', [
      {
        id: 'cnv_again',
        accountId: 'acc_acme',
        visitorId: 'vis_many_0',
        status: 'closed',
        startedAt: FIXTURE_NOW,
      },
    ]);
    const short = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(short.find((s) => s.name === 'chats_per_day')).toEqual({
      name: 'chats_per_day',
      value: null,
      people: minimum - 1,
      suppressed: true,
      reason: `computed over fewer than ${minimum} people`,
    });
    await addChattedVisitors(db, 1, minimum);
    const enough = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(enough.find((s) => s.name === 'chats_per_day')).toMatchObject({
      people: minimum,
      suppressed: false,
    });
  });

  it('SEC-1: leaves conversations reported as spam out of every figure', async () => {
    const db = await createTestDatabase();
    const minimum = policy.statistics.minimumGroupSize;
    await addChattedVisitors(db, minimum);
    const before = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(before.find((s) => s.name === 'average_rating')).toMatchObject({ suppressed: false });
    // One spam chat rated 1 would pull the average down, and takes its visitor out of the count.
    await insertRows(db, 'conversations', [
      {
        id: 'cnv_spam',
        accountId: 'acc_acme',
        visitorId: 'vis_many_0',
        status: 'closed',
        startedAt: FIXTURE_NOW - DAY,
        rating: 1,
        spamAt: FIXTURE_NOW,
      },
    ]);
    const after = await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE);
    expect(after).toEqual(before);
    await reportSpam(db, {
      accountId: 'acc_acme',
      conversationId: 'cnv_many_1',
      agentId: FIXTURE.agents.acmeOwner.id,
      now: FIXTURE_NOW,
    });
    const people = (figures: Statistic[]) => figures.find((s) => s.name === 'average_rating')?.people ?? 0;
    expect(people(await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE))).toBe(
      people(before) - 1,
    );
  });

  it('LOG-2: computes the same figures on either engine: averages are not cut to whole numbers', async () => {
    const db = await createTestDatabase();
    await addChattedVisitors(db, 12);
    expect(await conversationStatistics(db, policy, FIXTURE.accounts.acme.id, RANGE)).toEqual([
      // 15 conversations over 8 days.
      { name: 'chats_per_day', value: 1.9, people: 15, suppressed: false },
      // Anna's 45 s, Ben's 60 s and twelve times 30 s.
      { name: 'first_response_seconds', value: 33.2, people: 14, suppressed: false },
      // Anna's 5 and twelve 4s.
      { name: 'average_rating', value: 4.1, people: 13, suppressed: false },
    ]);
    const nothing = await conversationStatistics(db, policy, null, { from: 0, to: 1 });
    expect(nothing.map((s) => [s.people, s.value])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
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
    await addChattedVisitors(db, 12);
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
    await addChattedVisitors(db, 12);
    const about = await valuesAboutPeople(db);
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
