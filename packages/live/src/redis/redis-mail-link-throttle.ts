import type { Redis } from 'ioredis';
import {
  MAIL_LINK_LIMITS,
  type MailLinkLimits,
  type MailLinkRequest,
  type MailLinkThrottle,
  type MailLinkVerdict,
} from '../mail-link-throttle.ts';
import { addressKey } from '../sign-in-throttle.ts';
import { BUCKET } from './bucket-lua.ts';
import { DEFAULT_REDIS_PREFIX } from './connection.ts';
import { LuaScript } from './lua-script.ts';

/**
 * The rules of `InMemoryMailLinkThrottle` in one step on Redis, so that requests arriving at once on several nodes
 * are counted one after the other.
 * KEYS: the client address's bucket ('' without an address), the email's bucket.
 * ARGV: now, address burst, address refill, email burst, email refill.
 * Answers {'allowed'}, or {'address' | 'email', retryAfterMs}.
 */
const TAKE = new LuaScript(`${BUCKET}
local now = tonumber(ARGV[1])
local addressBurst, addressRefill = tonumber(ARGV[2]), tonumber(ARGV[3])
local emailBurst, emailRefill = tonumber(ARGV[4]), tonumber(ARGV[5])
local byAddress = nil
if KEYS[1] ~= '' then
  byAddress = bucket(KEYS[1], now, addressBurst, addressRefill)
  if byAddress < 1 then return {'address', math.ceil((1 - byAddress) * addressRefill)} end
end
local byEmail = bucket(KEYS[2], now, emailBurst, emailRefill)
if byEmail < 1 then return {'email', math.ceil((1 - byEmail) * emailRefill)} end
if byAddress then keepBucket(KEYS[1], byAddress - 1, now, addressBurst, addressRefill) end
keepBucket(KEYS[2], byEmail - 1, now, emailBurst, emailRefill)
return {'allowed'}
`);

/** The mail-link throttle of several nodes, on Redis: requests on one node count on all. Keys expire once refilled. */
export class RedisMailLinkThrottle implements MailLinkThrottle {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: MailLinkLimits;
  readonly #now: () => number;

  constructor(options: {
    redis: Redis;
    prefix?: string | undefined;
    limits?: Partial<MailLinkLimits>;
    now?: () => number;
  }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.#limits = { ...MAIL_LINK_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
    if (!(this.#limits.emailBurst >= 1 && this.#limits.addressBurst >= 1))
      throw new RangeError('A mail-link throttle needs bursts of at least 1.');
  }

  async take(request: MailLinkRequest): Promise<MailLinkVerdict> {
    const { addressBurst, addressRefillMs, emailBurst, emailRefillMs } = this.#limits;
    const address =
      request.address === undefined ? '' : `${this.#prefix}mail-link:address:${addressKey(request.address)}`;
    const [verdict, retryAfterMs = 0] = (await TAKE.run(
      this.#redis,
      [address, `${this.#prefix}mail-link:email:${request.email}`],
      [this.#now(), addressBurst, addressRefillMs, emailBurst, emailRefillMs],
    )) as [string, number?];
    if (verdict === 'allowed') return { allowed: true };
    return { allowed: false, limitedBy: verdict === 'address' ? 'address' : 'email', retryAfterMs };
  }
}
