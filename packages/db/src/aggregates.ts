import type { PolicyContent } from '@parley/policy';
import { and, countDistinct, eq, gte, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { ParleyDb } from './connection.ts';
import { read, tablesOf } from './statements.ts';

/**
 * LOG-2: every usage figure Parley computes. A figure's name comes from this list, never from the data, so no field
 * of a figure can carry a visitor's id, email or any other value about a person.
 */
export const USAGE_FIGURES = [
  'chats_per_day',
  'first_response_seconds',
  'average_rating',
  'conversations_with_tag',
] as const;
export type UsageFigure = (typeof USAGE_FIGURES)[number];

/** A published figure, or the reason it is withheld. */
export type Statistic =
  | { name: UsageFigure; value: number; people: number; suppressed: false }
  | { name: UsageFigure; value: null; people: number; suppressed: true; reason: string };

/** A figure that is not a declared usage figure, or whose value or group size is not a plain count or measure. */
export class UsageFigureError extends Error {
  readonly code = 'USAGE_FIGURE_INVALID';
}

const isUsageFigure = (name: unknown): name is UsageFigure =>
  (USAGE_FIGURES as readonly unknown[]).includes(name);

/**
 * LOG-3, SHR-3: the only way a statistic leaves Parley. A figure computed over fewer distinct people than the
 * policy's minimum group size is suppressed, value and all. LOG-2: it is a declared figure, a finite number and a
 * count of people, and nothing else.
 */
export function publishStatistic(
  content: PolicyContent,
  name: UsageFigure,
  value: number,
  people: number,
): Statistic {
  // The refused name is not repeated in the message: it may be the very identifier that must not leak.
  if (!isUsageFigure(name))
    throw new UsageFigureError(
      `a figure must be named as one of the usage figures: ${USAGE_FIGURES.join(', ')}`,
    );
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new UsageFigureError(`${name}: the value must be a finite number`);
  if (!Number.isSafeInteger(people) || people < 0)
    throw new UsageFigureError(`${name}: the number of people must be a whole number, 0 or more`);
  const minimum = content.statistics.minimumGroupSize;
  if (people < minimum)
    return {
      name,
      value: null,
      people,
      suppressed: true,
      reason: `computed over fewer than ${minimum} people`,
    };
  return { name, value, people, suppressed: false };
}

export interface StatisticsRange {
  from: number;
  to: number;
}

const DAY = 86_400_000;

/** An aggregate read as a JavaScript number: PostgreSQL's `avg` is `numeric` and its `count` a `bigint`. */
const measure = (expression: SQL) => sql<number | null>`${expression}`.mapWith(Number);

/**
 * An aggregate over the conversations started in the range (of one account, or all) that match `only`, spam left
 * out, and the number of distinct visitors it was computed over. One row without GROUP BY, which both engines return also when
 * no conversation matches (a count of 0, an average of null).
 */
async function overConversations(
  db: ParleyDb,
  scope: { accountId: string | null; range: StatisticsRange },
  value: SQL,
  only?: SQL,
): Promise<{ value: number | null; people: number }> {
  const [row] = await read(db, (o, { conversations }) =>
    o
      .select({ value: measure(value), people: countDistinct(conversations.visitorId) })
      .from(conversations)
      .where(
        and(
          gte(conversations.startedAt, scope.range.from),
          lt(conversations.startedAt, scope.range.to),
          scope.accountId === null ? undefined : eq(conversations.accountId, scope.accountId),
          // Conversations reported as spam say nothing about how the account's chats go.
          isNull(conversations.spamAt),
          only,
        ),
      ),
  );
  return { value: row?.value ?? null, people: row?.people ?? 0 };
}

/**
 * LOG-2: non-identifying usage figures for one account (or, with `accountId` null, the whole installation):
 * chats per day, average first-response time and average rating, each over distinct visitors. The averages are
 * divided and rounded here rather than in SQL, where SQLite and PostgreSQL divide and round differently.
 */
export async function conversationStatistics(
  db: ParleyDb,
  content: PolicyContent,
  accountId: string | null,
  range: StatisticsRange,
): Promise<Statistic[]> {
  const scope = { accountId, range };
  const days = Math.max(1, Math.ceil((range.to - range.from) / DAY));
  const c = tablesOf(db).conversations;
  const chats = await overConversations(db, scope, sql`count(*)`);
  const response = await overConversations(
    db,
    scope,
    sql`avg(${c.firstResponseAt} - ${c.startedAt})`,
    isNotNull(c.firstResponseAt),
  );
  const rating = await overConversations(db, scope, sql`avg(${c.rating})`, isNotNull(c.rating));
  return [
    publishStatistic(
      content,
      'chats_per_day',
      Math.round(((chats.value ?? 0) / days) * 10) / 10,
      chats.people,
    ),
    publishStatistic(
      content,
      'first_response_seconds',
      Math.round((response.value ?? 0) / 100) / 10,
      response.people,
    ),
    publishStatistic(content, 'average_rating', Math.round((rating.value ?? 0) * 10) / 10, rating.people),
  ];
}
