import { type ParleyDb, type SweepReport, sweepRetention } from '@parley/db';
import type { PolicyContent } from '@parley/policy';

/**
 * RET-3: runs the retention sweep on a timer (and shortly after start). Runs never overlap, here or with another
 * node's (a sweep that finds another running leaves the work to it and reports nothing); the sweep itself works in
 * small batches, so chat goes on while it runs.
 */
export function startRetentionTimer(
  db: ParleyDb,
  /** The policy content in force at the moment of each sweep. */
  content: () => PolicyContent,
  options: {
    intervalMs?: number;
    firstRunMs?: number;
    onReport?: (report: SweepReport) => void;
    onError?: (error: unknown) => void;
  } = {},
) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = running.then(() =>
      sweepRetention(db, content()).then((report) => {
        if (report) options.onReport?.(report);
      }, options.onError),
    );
  };
  const first = setTimeout(run, options.firstRunMs ?? 60_000);
  const timer = setInterval(run, options.intervalMs ?? 6 * 3_600_000);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
