/**
 * SEC-1: counts events per key in fixed windows of time, up to a limit: how many new conversations an account was
 * asked for in the current minute, so that a flood of new visitors is held back. The interface is async so that a
 * counter shared by several nodes (on Redis) can replace the in-process one and the limit holds across nodes.
 */
export interface WindowCounter {
  /**
   * Counts one event for `key` in the window of `windowMs` that `now` falls in, and answers whether it was within
   * `limit` there. An event over the limit is counted too, so a flood stays refused until its window has passed.
   */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
}

/** The window `now` falls in, numbered from the epoch. */
export const windowOf = (now: number, windowMs: number): number => Math.floor(now / windowMs);

/** Checks a limit and a window before anything is counted with them. */
export function checkWindow(limit: number, windowMs: number): void {
  if (!(Number.isInteger(limit) && limit >= 1 && Number.isInteger(windowMs) && windowMs >= 1))
    throw new RangeError('A window counter needs a limit and a window of at least 1.');
}

/** The counter of one process: each key keeps its current window's count only, so memory stays one entry per key. */
export class InMemoryWindowCounter implements WindowCounter {
  readonly #now: () => number;
  readonly #counts = new Map<string, { window: number; count: number }>();

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async take(key: string, limit: number, windowMs: number): Promise<boolean> {
    checkWindow(limit, windowMs);
    const window = windowOf(this.#now(), windowMs);
    const stored = this.#counts.get(key);
    const count = stored && stored.window === window ? stored.count + 1 : 1;
    this.#counts.set(key, { window, count });
    return count <= limit;
  }
}
