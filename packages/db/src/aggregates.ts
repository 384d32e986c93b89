import type { PolicyContent } from '@parley/policy';
import { type ParleyDb, sqliteOf } from './connection.ts';
import { blockedByTransaction, whenFree } from './transaction.ts';

/**
 * LOG-2: every usage figure Parley computes. A figure's name comes from this list, never from the data, so no field
 * of a figure can carry a visitor's id, email or any other value about a person.
 */
export const USAGE_FIGURES = ['chats_per_day', 'first_response_seconds', 'average_rating'] as const;
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

/**
 * LOG-2: non-identifying usage figures for one account (or, with `accountId` null, the whole installation):
 * chats per day, average first-response time and average rating, each over distinct visitors.
 */
export async function conversationStatistics(
  db: ParleyDb,
  content: PolicyContent,
  accountId: string | null,
  range: StatisticsRange,
): Promise<Statistic[]> {
  if (blockedByTransaction(db)) await whenFree(db);
  const scope = accountId === null ? '' : 'AND account_id = @accountId';
  const params = { accountId, from: range.from, to: range.to };
  const days = Math.max(1, Math.ceil((range.to - range.from) / DAY));
  const chats = sqliteOf(db)
    .prepare(
      `SELECT count(*) AS chats, count(DISTINCT visitor_id) AS people FROM conversations WHERE started_at >= @from AND started_at < @to ${scope}`,
    )
    .get(params) as { chats: number; people: number };
  const response = sqliteOf(db)
    .prepare(
      `SELECT avg(first_response_at - started_at) AS ms, count(DISTINCT visitor_id) AS people FROM conversations
       WHERE first_response_at IS NOT NULL AND started_at >= @from AND started_at < @to ${scope}`,
    )
    .get(params) as { ms: number | null; people: number };
  const rating = sqliteOf(db)
    .prepare(
      `SELECT avg(rating) AS rating, count(DISTINCT visitor_id) AS people FROM conversations WHERE rating IS NOT NULL AND started_at >= @from AND started_at < @to ${scope}`,
    )
    .get(params) as { rating: number | null; people: number };
  return [
    publishStatistic(content, 'chats_per_day', Math.round((chats.chats / days) * 10) / 10, chats.people),
    publishStatistic(
      content,
      'first_response_seconds',
      Math.round((response.ms ?? 0) / 100) / 10,
      response.people,
    ),
    publishStatistic(content, 'average_rating', Math.round((rating.rating ?? 0) * 10) / 10, rating.people),
  ];
}
