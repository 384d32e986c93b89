/**
 * Time as the server's sessions and presence see it: the system's in production, one a test moves by hand, so that
 * what happens at a session's end or a grace period's end is tested without waiting for it.
 */
export interface Clock {
  now(): number;
  /** Runs `task` once the time `at` (ms since the epoch) has come; returns what cancels it. Keeps no process alive. */
  at(at: number, task: () => void): () => void;
}

/** Node's timers take at most this delay (about 24.8 days); a later time is reached in several steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, task) {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      timer = setTimeout(wait > LONGEST_TIMER_MS ? arm : task, Math.min(Math.max(wait, 0), LONGEST_TIMER_MS));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};
