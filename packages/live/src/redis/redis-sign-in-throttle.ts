import type { Redis } from 'ioredis';
import {
  addressKey,
  type SignInAttempt,
  type SignInLimits,
  type SignInOutcome,
  type SignInThrottle,
  type SignInVerdict,
  signInLimits,
} from '../sign-in-throttle.ts';
import { BUCKET } from './bucket-lua.ts';
import { DEFAULT_REDIS_PREFIX } from './connection.ts';
import { LuaScript } from './lua-script.ts';

// The rules of `InMemorySignInThrottle`, as Lua run by Redis: a reservation reads, decides and writes in one step, so
// that attempts arriving at once on several nodes are counted one after the other. Each key expires when the rule
// would forget it anyway (an address bucket once refilled, an email's failures `forgetAfterMs` after the last), so
// made-up emails and addresses do not stay. Times come from the caller's clock, not Redis's.

/**
 * KEYS: the address's bucket ('' without an address), the email's failures.
 * ARGV: now, burst, refill, free failures, base delay, max delay, forget after.
 * Answers {'allowed'}, or {'address' | 'email', retryAfterMs}.
 */
const RESERVE = new LuaScript(`${BUCKET}
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local free, base, max, forget = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local tokens = nil
if KEYS[1] ~= '' then
  tokens = bucket(KEYS[1], now, burst, refill)
  if tokens < 1 then return {'address', math.ceil((1 - tokens) * refill)} end
end
local failures = redis.call('HMGET', KEYS[2], 'attempts', 'lastAt')
local attempts = 0
if failures[1] and now - tonumber(failures[2]) <= forget then
  attempts = tonumber(failures[1])
  local over = attempts - free
  if over >= 0 then
    local wait = tonumber(failures[2]) + math.min(max, base * 2 ^ over) - now
    if wait > 0 then return {'email', wait} end
  end
end
if tokens then keepBucket(KEYS[1], tokens - 1, now, burst, refill) end
redis.call('HSET', KEYS[2], 'attempts', attempts + 1, 'lastAt', now)
redis.call('PEXPIRE', KEYS[2], forget + 1)
return {'allowed'}
`);

/**
 * After a success: the email's failures go, the address gets its attempt back.
 * KEYS: the address's bucket ('' without an address), the email's failures. ARGV: now, burst, refill.
 */
const SUCCEEDED = new LuaScript(`${BUCKET}
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('DEL', KEYS[2])
if KEYS[1] ~= '' then keepBucket(KEYS[1], bucket(KEYS[1], now, burst, refill) + 1, now, burst, refill) end
return 1
`);

/**
 * The sign-in throttle of several nodes, on Redis: attempts on one node count on all. `maxEntries` does not apply;
 * keys expire instead.
 */
export class RedisSignInThrottle implements SignInThrottle {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: SignInLimits;
  readonly #now: () => number;

  constructor(options: {
    redis: Redis;
    prefix?: string | undefined;
    limits?: Partial<SignInLimits>;
    now?: () => number;
  }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#limits = signInLimits(options.limits);
    this.#now = options.now ?? Date.now;
  }

  async reserve(attempt: SignInAttempt): Promise<SignInVerdict> {
    const { addressBurst, addressRefillMs, emailFreeFailures, emailBaseDelayMs, emailMaxDelayMs } =
      this.#limits;
    const reply = (await RESERVE.run(this.#redis, this.#keys(attempt), [
      this.#now(),
      addressBurst,
      addressRefillMs,
      emailFreeFailures,
      emailBaseDelayMs,
      emailMaxDelayMs,
      this.#limits.forgetAfterMs,
    ])) as [string, number?];
    const [verdict, retryAfterMs = 0] = reply;
    if (verdict === 'allowed') return { allowed: true };
    return { allowed: false, limitedBy: verdict === 'address' ? 'address' : 'email', retryAfterMs };
  }

  async record(attempt: SignInAttempt, outcome: SignInOutcome): Promise<void> {
    if (outcome === 'failed') return;
    const { addressBurst, addressRefillMs } = this.#limits;
    await SUCCEEDED.run(this.#redis, this.#keys(attempt), [this.#now(), addressBurst, addressRefillMs]);
  }

  #keys(attempt: SignInAttempt): [string, string] {
    const address =
      attempt.address === undefined ? '' : `${this.#prefix}sign-in:address:${addressKey(attempt.address)}`;
    return [address, `${this.#prefix}sign-in:email:${attempt.email}`];
  }
}
