import type { PolicyContent } from '@parley/policy';
import type { ParleyDb } from './connection.ts';

/** A published figure, or the reason it is withheld. */
export type Statistic =
  | { name: string; value: number; people: number; suppressed: false }
  | { name: string; value: null; people: number; suppressed: true; reason: string };

/**
 * LOG-3, SHR-3: the only way a statistic leaves Parley. A figure computed over fewer distinct people than the
 * policy's minimum group size is suppressed, value and all.
 */
export function publishStatistic(
  content: PolicyContent,
  name: string,
  value: number,
  people: number,
): Statistic {
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
  const scope = accountId === null ? '' : 'AND account_id = @accountId';
  const params = { accountId, from: range.from, to: range.to };
  const days = Math.max(1, Math.ceil((range.to - range.from) / DAY));
  const chats = db.sqlite
    .prepare(
      `SELECT count(*) AS chats, count(DISTINCT visitor_id) AS people FROM conversations WHERE started_at >= @from AND started_at < @to ${scope}`,
    )
    .get(params) as { chats: number; people: number };
  const response = db.sqlite
    .prepare(
      `SELECT avg(first_response_at - started_at) AS ms, count(DISTINCT visitor_id) AS people FROM conversations
       WHERE first_response_at IS NOT NULL AND started_at >= @from AND started_at < @to ${scope}`,
    )
    .get(params) as { ms: number | null; people: number };
  const rating = db.sqlite
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
