import type { Clock } from '../clock.ts';

/** A clock that only moves when a test says so; tasks whose time has come run, in time order, as it moves. */
export class ManualClock implements Clock {
  #now: number;
  #tasks: Array<{ at: number; task: () => void }> = [];

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  at(at: number, task: () => void): () => void {
    const entry = { at, task };
    this.#tasks.push(entry);
    return () => {
      this.#tasks = this.#tasks.filter((t) => t !== entry);
    };
  }

  /** Moves time forward by `ms`, running every task due by then. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#tasks.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#tasks = this.#tasks.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.task();
    }
    this.#now = until;
  }
}
