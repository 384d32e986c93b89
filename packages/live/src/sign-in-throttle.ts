import { isIPv4, isIPv6 } from 'node:net';

/**
 * SEC-1: slows down password guessing, for the dashboard's agents and the admin console's staff alike.
 *
 * An attempt is reserved before its password is hashed, so a burst of parallel requests is counted as it arrives
 * rather than after each hash has run: past the limit, a request is refused without any hashing at all. Two
 * limits apply, and both must allow an attempt:
 *
 * - Per client address, a hard limit: a bucket of `addressBurst` attempts that refills by one every
 *   `addressRefillMs`. A correct password gives its attempt back, so an office behind one address where many
 *   people sign in is not held back; a guesser spreading wrong passwords over many emails is.
 * - Per account email, a delay rather than a lock-out: `emailFreeFailures` wrong passwords are free, then each
 *   further attempt waits `emailBaseDelayMs`, doubling with every failure up to `emailMaxDelayMs`. Someone guessing
 *   wrong on purpose can make the owner wait, never shut them out: once the delay has passed, the right password
 *   gets in from anywhere, and clears the count.
 *
 * The interface is async so that a store shared by several nodes can replace the in-process one.
 */
export interface SignInThrottle {
  /** Counts this attempt if both limits allow it; the caller checks the password only when it is allowed. */
  reserve(attempt: SignInAttempt): Promise<SignInVerdict>;
  /** Settles an allowed attempt: a success clears the email's failures and gives the address its attempt back. */
  record(attempt: SignInAttempt, outcome: SignInOutcome): Promise<void>;
}

export interface SignInAttempt {
  /** Normalised the way the account's email is looked up, so that case and spacing do not make a new key. */
  email: string;
  /** The client's address, when known. Used by the throttle only: never logged, never in the database. */
  address?: string | undefined;
}

export type SignInOutcome = 'succeeded' | 'failed';

export type SignInVerdict =
  | { allowed: true }
  | { allowed: false; limitedBy: 'address' | 'email'; retryAfterMs: number };

export interface SignInLimits {
  addressBurst: number;
  addressRefillMs: number;
  emailFreeFailures: number;
  emailBaseDelayMs: number;
  emailMaxDelayMs: number;
  /** An email's failures are forgotten this long after the last attempt. */
  forgetAfterMs: number;
  /** Entries kept per limit at most; the least recently used go first, so made-up emails cannot grow memory. */
  maxEntries: number;
}

/**
 * Ten attempts at once from one address, then one every 30 seconds (120 an hour); five wrong passwords for one
 * email, then 1 s, 2 s, 4 s … up to 5 minutes between attempts, forgotten an hour after the last one. A guesser
 * gets at most 288 tries a day at one email once the delay is at its maximum, each against a slow scrypt hash, and no
 * single wait the owner meets is longer than 5 minutes.
 */
export const SIGN_IN_LIMITS: SignInLimits = {
  addressBurst: 10,
  addressRefillMs: 30_000,
  emailFreeFailures: 5,
  emailBaseDelayMs: 1_000,
  emailMaxDelayMs: 5 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 100_000,
};

/** `SIGN_IN_LIMITS` with `changes`; refuses limits that would let nobody in. */
export function signInLimits(changes: Partial<SignInLimits> = {}): SignInLimits {
  const limits = { ...SIGN_IN_LIMITS, ...changes };
  if (!(limits.addressBurst >= 1 && limits.emailFreeFailures >= 0))
    throw new RangeError(
      'A sign-in throttle needs an address burst of at least 1 and no negative free failures.',
    );
  return limits;
}

/**
 * The key an address is limited under: an IPv4 address itself (also when it arrives IPv4-mapped, as a dual-stack
 * socket reports it), an IPv6 address its /64. One subscriber usually holds a whole /64, so stepping through it
 * must not buy new attempts.
 */
export function addressKey(address: string): string {
  const text = address
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .split('%')[0]!;
  if (!isIPv6(text)) return text;
  const mapped = /^::ffff:([\d.]+)$/i.exec(text)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const [head, tail] = text.split('::');
  // A dotted IPv4 tail stands for two groups.
  const tailGroups = groups(tail).flatMap((g) => (g.includes('.') ? [g, g] : [g]));
  const missing = tail === undefined ? 0 : 8 - groups(head).length - tailGroups.length;
  const all = [...groups(head), ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

interface AddressBucket {
  tokens: number;
  at: number;
}

interface EmailFailures {
  /** Attempts not followed by a success, including those still being checked. */
  attempts: number;
  lastAt: number;
}

/** The throttle of one process, in memory: a restart forgets it, which only ever lets someone try again sooner. */
export class InMemorySignInThrottle implements SignInThrottle {
  readonly #limits: SignInLimits;
  readonly #now: () => number;
  readonly #addresses = new Map<string, AddressBucket>();
  readonly #emails = new Map<string, EmailFailures>();

  constructor(options: { limits?: Partial<SignInLimits>; now?: () => number } = {}) {
    this.#limits = signInLimits(options.limits);
    this.#now = options.now ?? Date.now;
  }

  async reserve(attempt: SignInAttempt): Promise<SignInVerdict> {
    const now = this.#now();
    const address = attempt.address === undefined ? undefined : addressKey(attempt.address);
    const bucket = address === undefined ? undefined : this.#bucket(address, now);
    if (bucket && bucket.tokens < 1)
      return {
        allowed: false,
        limitedBy: 'address',
        retryAfterMs: Math.ceil((1 - bucket.tokens) * this.#limits.addressRefillMs),
      };
    const failures = this.#failures(attempt.email, now);
    const wait = failures ? failures.lastAt + this.#delayAfter(failures.attempts) - now : 0;
    if (wait > 0) return { allowed: false, limitedBy: 'email', retryAfterMs: wait };

    if (bucket && address !== undefined)
      this.#keep(this.#addresses, address, { tokens: bucket.tokens - 1, at: now });
    this.#keep(this.#emails, attempt.email, { attempts: (failures?.attempts ?? 0) + 1, lastAt: now });
    return { allowed: true };
  }

  async record(attempt: SignInAttempt, outcome: SignInOutcome): Promise<void> {
    if (outcome === 'failed') return;
    this.#emails.delete(attempt.email);
    if (attempt.address === undefined) return;
    const address = addressKey(attempt.address);
    const now = this.#now();
    const bucket = this.#bucket(address, now);
    if (bucket.tokens + 1 >= this.#limits.addressBurst) this.#addresses.delete(address);
    else this.#keep(this.#addresses, address, { tokens: bucket.tokens + 1, at: now });
  }

  /** The address's bucket refilled up to now; a full bucket is not stored at all. */
  #bucket(address: string, now: number): AddressBucket {
    const { addressBurst, addressRefillMs } = this.#limits;
    const stored = this.#addresses.get(address);
    if (!stored) return { tokens: addressBurst, at: now };
    const tokens = Math.min(addressBurst, stored.tokens + (now - stored.at) / addressRefillMs);
    if (tokens >= addressBurst) this.#addresses.delete(address);
    return { tokens, at: now };
  }

  #failures(email: string, now: number): EmailFailures | undefined {
    const stored = this.#emails.get(email);
    if (stored && now - stored.lastAt > this.#limits.forgetAfterMs) {
      this.#emails.delete(email);
      return undefined;
    }
    return stored;
  }

  /** How long after the last of `attempts` unsuccessful attempts the next one may be made. */
  #delayAfter(attempts: number): number {
    const { emailFreeFailures, emailBaseDelayMs, emailMaxDelayMs } = this.#limits;
    const over = attempts - emailFreeFailures;
    return over < 0 ? 0 : Math.min(emailMaxDelayMs, emailBaseDelayMs * 2 ** over);
  }

  /** Stores an entry as the most recently used, dropping the least recently used past `maxEntries`. */
  #keep<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key);
    map.set(key, value);
    if (map.size <= this.#limits.maxEntries) return;
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

/** What a throttled sign-in came to. */
export type ThrottledSignIn<T> =
  | { outcome: 'signed-in'; value: T }
  | { outcome: 'wrong' }
  | { outcome: 'throttled'; limitedBy: 'address' | 'email'; retryAfterMs: number };

/**
 * Reserves the attempt, runs `check` (which hashes the password) only when the throttle allows it, and records
 * the result. `check` answers null for a wrong email or password. If it throws, the attempt counts as failed: an
 * error must not become a way to guess for free.
 */
export async function throttledSignIn<T>(
  throttle: SignInThrottle,
  attempt: SignInAttempt,
  check: () => Promise<T | null>,
): Promise<ThrottledSignIn<T>> {
  const verdict = await throttle.reserve(attempt);
  if (!verdict.allowed)
    return { outcome: 'throttled', limitedBy: verdict.limitedBy, retryAfterMs: verdict.retryAfterMs };
  let value: T | null = null;
  try {
    value = await check();
  } finally {
    await throttle.record(attempt, value === null ? 'failed' : 'succeeded');
  }
  return value === null ? { outcome: 'wrong' } : { outcome: 'signed-in', value };
}

type Refusal = { limitedBy: 'address' | 'email'; retryAfterMs: number };

/** The `Retry-After` header's value: whole seconds, rounded up so that a client waiting that long gets through. */
export const retryAfterSeconds = (refusal: Refusal): string => String(Math.ceil(refusal.retryAfterMs / 1000));

/** The sentence both sign-in forms show when an attempt is throttled. */
export function throttledMessage(refusal: Refusal): string {
  const seconds = Math.ceil(refusal.retryAfterMs / 1000);
  const wait =
    seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return refusal.limitedBy === 'address'
    ? `Too many sign-in attempts from your network. Try again in ${wait}.`
    : `Too many wrong passwords for this email address. Try again in ${wait}.`;
}
