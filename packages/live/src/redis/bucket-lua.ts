// A token bucket in Lua, shared by the throttles on Redis: `tokens` and `at` in a hash, refilled up to `now` when
// read, and deleted once full again (its expiry is the time it takes to refill), so that a bucket nobody uses costs
// nothing.

/** An address's bucket (`tokens`, `at`) refilled up to `now`; absent means full. */
export const BUCKET = `
local function bucket(key, now, burst, refill)
  local stored = redis.call('HMGET', key, 'tokens', 'at')
  if not stored[1] then return burst end
  return math.min(burst, tonumber(stored[1]) + (now - tonumber(stored[2])) / refill)
end
local function keepBucket(key, tokens, now, burst, refill)
  if tokens >= burst then
    redis.call('DEL', key)
  else
    redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'at', now)
    redis.call('PEXPIRE', key, math.ceil((burst - tokens) * refill))
  end
end
`;
