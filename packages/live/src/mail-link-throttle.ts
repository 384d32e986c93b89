import { addressKey } from './sign-in-throttle.ts';

/**
 * SEC-1, RET-2: limits how often a link can be asked for by mail (a password reset), so that the form can neither
 * flood a person's mailbox nor be used to send mail in bulk. Two token buckets, and both must allow a request:
 *
 * - per email address, `emailBurst` requests that refill by one every `emailRefillMs`: the owner of the address
 *   gets a few links in a row, a stranger cannot bury them in mail;
 * - per client address, `addressBurst` requests that refill by one every `addressRefillMs`: one network cannot
 *   step through many people's addresses.
 *
 * A request is counted whether or not the email belongs to anyone, so the limit says nothing about who has an
 * account. The interface is async, as the sign-in throttle's is, so that a store shared by several nodes can
 * replace the in-process one and the limits hold across nodes.
 */
export interface MailLinkThrottle {
  /** Counts the request if both limits allow it. */
  take(request: MailLinkRequest): Promise<MailLinkVerdict>;
}

export interface MailLinkRequest {
  /** Normalised the way the person's email is looked up. */
  email: string;
  /** The client's address, when known; never logged, never stored. */
  address?: string | undefined;
}

export type MailLinkVerdict =
  | { allowed: true }
  | { allowed: false; limitedBy: 'address' | 'email'; retryAfterMs: number };

export interface MailLinkLimits {
  emailBurst: number;
  emailRefillMs: number;
  addressBurst: number;
  addressRefillMs: number;
  /** Entries kept per limit at most; the least recently used go first, so made-up emails cannot grow memory. */
  maxEntries: number;
}

/**
 * Three links in a row for one address, then one every 20 minutes (a link lasts 30); twenty requests in a row from
 * one network, then one every 3 minutes.
 */
export const MAIL_LINK_LIMITS: MailLinkLimits = {
  emailBurst: 3,
  emailRefillMs: 20 * 60_000,
  addressBurst: 20,
  addressRefillMs: 3 * 60_000,
  maxEntries: 100_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/** The throttle of one process, in memory: a restart forgets it, which only ever lets someone ask again sooner. */
export class InMemoryMailLinkThrottle implements MailLinkThrottle {
  readonly #limits: MailLinkLimits;
  readonly #now: () => number;
  readonly #emails = new Map<string, Bucket>();
  readonly #addresses = new Map<string, Bucket>();

  constructor(options: { limits?: Partial<MailLinkLimits>; now?: () => number } = {}) {
    this.#limits = { ...MAIL_LINK_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
    if (!(this.#limits.emailBurst >= 1 && this.#limits.addressBurst >= 1))
      throw new RangeError('A mail-link throttle needs bursts of at least 1.');
  }

  async take(request: MailLinkRequest): Promise<MailLinkVerdict> {
    const now = this.#now();
    const { addressBurst, addressRefillMs, emailBurst, emailRefillMs } = this.#limits;
    const address = request.address === undefined ? undefined : addressKey(request.address);
    const byAddress =
      address === undefined
        ? undefined
        : this.#bucket(this.#addresses, address, addressBurst, addressRefillMs, now);
    if (byAddress && byAddress.tokens < 1)
      return {
        allowed: false,
        limitedBy: 'address',
        retryAfterMs: Math.ceil((1 - byAddress.tokens) * addressRefillMs),
      };
    const byEmail = this.#bucket(this.#emails, request.email, emailBurst, emailRefillMs, now);
    if (byEmail.tokens < 1)
      return {
        allowed: false,
        limitedBy: 'email',
        retryAfterMs: Math.ceil((1 - byEmail.tokens) * emailRefillMs),
      };
    if (byAddress && address !== undefined)
      this.#keep(this.#addresses, address, { tokens: byAddress.tokens - 1, at: now });
    this.#keep(this.#emails, request.email, { tokens: byEmail.tokens - 1, at: now });
    return { allowed: true };
  }

  /** The key's bucket refilled up to now; a full bucket is not stored at all. */
  #bucket(map: Map<string, Bucket>, key: string, burst: number, refillMs: number, now: number): Bucket {
    const stored = map.get(key);
    if (!stored) return { tokens: burst, at: now };
    const tokens = Math.min(burst, stored.tokens + (now - stored.at) / refillMs);
    if (tokens >= burst) map.delete(key);
    return { tokens, at: now };
  }

  /** Stores an entry as the most recently used, dropping the least recently used past `maxEntries`. */
  #keep(map: Map<string, Bucket>, key: string, value: Bucket): void {
    map.delete(key);
    map.set(key, value);
    if (map.size <= this.#limits.maxEntries) return;
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
