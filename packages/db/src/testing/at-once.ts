import type { ParleyDb } from '../connection.ts';
import { countRows } from './rows.ts';

/**
 * Starts `calls` together, as requests on several connections or several nodes would, and returns their results in
 * order. On PostgreSQL the pool's connections are opened first: otherwise the first call, which finds one open,
 * could finish before the next has connected, and the race the test means to provoke would not happen.
 */
export async function atOnce<T>(db: ParleyDb, calls: Array<() => Promise<T>>): Promise<T[]> {
  await Promise.all(calls.map(() => countRows(db, 'accounts')));
  return Promise.all(calls.map((call) => call()));
}
