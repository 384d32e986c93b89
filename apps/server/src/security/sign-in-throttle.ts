/**
 * Slows down password guessing: after a few failed sign-ins for one email, or rather more from one address (many
 * people can share one), further attempts are refused for a time that doubles with each failure, up to 15 minutes.
 * Counts are kept in memory only (the address is never stored) and forgotten 15 minutes after the last failure.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly options = {
      freePerEmail: 5,
      freePerAddress: 20,
      baseDelayMs: 1000,
      maxDelayMs: 15 * 60_000,
      forgetAfterMs: 15 * 60_000,
    },
    private readonly now: () => number = Date.now,
  ) {}

  #keys(attempt: { email: string; address?: string | undefined }): Array<[string, number]> {
    const keys: Array<[string, number]> = [[`email:${attempt.email}`, this.options.freePerEmail]];
    if (attempt.address) keys.push([`address:${attempt.address}`, this.options.freePerAddress]);
    return keys;
  }

  /** Milliseconds until this attempt may be made; 0 when it may be made now. */
  waitMs(attempt: { email: string; address?: string | undefined }): number {
    const now = this.now();
    let wait = 0;
    for (const [key, free] of this.#keys(attempt)) {
      const entry = this.#failures.get(key);
      if (!entry) continue;
      if (now - entry.last > this.options.forgetAfterMs) {
        this.#failures.delete(key);
        continue;
      }
      const over = entry.count - free;
      if (over < 0) continue;
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
      wait = Math.max(wait, entry.last + delay - now);
    }
    return Math.max(0, wait);
  }

  fail(attempt: { email: string; address?: string | undefined }): void {
    const now = this.now();
    for (const [key] of this.#keys(attempt)) {
      const entry = this.#failures.get(key);
      this.#failures.set(key, { count: (entry?.count ?? 0) + 1, last: now });
    }
    if (this.#failures.size > 100_000) this.#prune(now);
  }

  /** A correct password clears the email's count (not the address's: one success must not reset a guesser). */
  succeed(attempt: { email: string }): void {
    this.#failures.delete(`email:${attempt.email}`);
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#failures)
      if (now - entry.last > this.options.forgetAfterMs) this.#failures.delete(key);
  }
}
