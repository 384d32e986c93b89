/**
 * SEC-1: slows down password guessing. After `maxFailures` wrong passwords for one email within `windowMs`, sign-in
 * for that email is refused until the window has passed. Kept in memory: a restart forgets it, which is acceptable
 * for a console on a loopback port.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Milliseconds until sign-in may be tried again, or 0 when it may be tried now. */
  retryAfter(key: string, now: number): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    if (now - entry.since >= this.windowMs) {
      this.failures.delete(key);
      return 0;
    }
    return entry.count >= this.maxFailures ? entry.since + this.windowMs - now : 0;
  }

  fail(key: string, now: number): void {
    const entry = this.failures.get(key);
    if (entry && now - entry.since < this.windowMs) {
      entry.count++;
      return;
    }
    // Oldest entries go first, so a flood of made-up emails cannot grow the map without bound.
    if (this.failures.size >= this.maxEntries) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.delete(key);
    this.failures.set(key, { count: 1, since: now });
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
