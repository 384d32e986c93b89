import { LuaScript } from './lua-script.ts';

// The presence of every node, as Redis keeps it. Per account, under A = <prefix>presence:<accountId>:
//
// - A:agents    sorted set: agent id → until when the agent counts (the latest of its claims)
// - A:status    hash: agent id → '1' (chose "online") or '0' (chose "away"); a field exists exactly while the agent
//               is in A:agents, so the account's count is the number of '1's
// - A:claims:<agentId>     hash: node id → until when that node's claim counts (now + grace: renewed by the node's
//                          heartbeat while it holds a socket of the agent, left to run out after a dropped one)
// - A:connected:<agentId>  hash: node id → until when the node's sockets count as open (renewed by the heartbeat)
//
// and <prefix>presence:due, a sorted set: account id → the earliest time one of its agents runs out, which the lapse
// check reads to find what has run out without scanning every account.
//
// Every script takes the key prefix, the account id and the time as its first arguments, and answers the account's
// count before and after, so that each change is measured inside the step that makes it.

const HELPERS = `
local P, account, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local A = P .. 'presence:' .. account
local DUE = P .. 'presence:due'

local function count()
  local online = 0
  for _, status in ipairs(redis.call('HVALS', A .. ':status')) do
    if status == '1' then online = online + 1 end
  end
  return online
end

local function forget(agent)
  redis.call('ZREM', A .. ':agents', agent)
  redis.call('HDEL', A .. ':status', agent)
  redis.call('DEL', A .. ':claims:' .. agent, A .. ':connected:' .. agent)
end

-- The agent counts until its latest claim runs out; without claims, it is gone.
local function settleAgent(agent)
  local claims = redis.call('HVALS', A .. ':claims:' .. agent)
  local latest = nil
  for _, until_ in ipairs(claims) do
    local t = tonumber(until_)
    if not latest or t > latest then latest = t end
  end
  if latest then redis.call('ZADD', A .. ':agents', latest, agent) else forget(agent) end
end

local function settleAccount()
  local first = redis.call('ZRANGE', A .. ':agents', 0, 0, 'WITHSCORES')
  if first[2] then redis.call('ZADD', DUE, first[2], account) else redis.call('ZREM', DUE, account) end
end

-- Claims of nodes where the agent has no socket open any more (grace periods, a crashed node's) end.
local function dropClaimsWithoutSockets(agent)
  local connected = A .. ':connected:' .. agent
  local claims = A .. ':claims:' .. agent
  local nodes = redis.call('HGETALL', connected)
  for i = 1, #nodes, 2 do
    if tonumber(nodes[i + 1]) <= now then redis.call('HDEL', connected, nodes[i]) end
  end
  for _, node in ipairs(redis.call('HKEYS', claims)) do
    if redis.call('HEXISTS', connected, node) == 0 then redis.call('HDEL', claims, node) end
  end
end
`;

/**
 * A socket of the agent opened on the node. As a restore ('1'), by a node that lost Redis (or whose Redis lost its
 * data) and still holds the agent's sockets, it only brings back an agent that is not there.
 * ARGV: prefix, account, now, agent, node, claim until, connected until, online ('1' | '0'), restore ('1' | '0').
 */
export const CONNECT = new LuaScript(`${HELPERS}
local agent, node = ARGV[4], ARGV[5]
local before = count()
if ARGV[9] == '1' and redis.call('HEXISTS', A .. ':status', agent) == 1 then return {before, before} end
dropClaimsWithoutSockets(agent)
redis.call('HSET', A .. ':claims:' .. agent, node, ARGV[6])
redis.call('HSET', A .. ':connected:' .. agent, node, ARGV[7])
redis.call('HSET', A .. ':status', agent, ARGV[8])
settleAgent(agent)
settleAccount()
return {before, count()}
`);

/**
 * The node's last socket of the agent closed. With grace ('1'), an online agent's claim runs until `claim until`;
 * otherwise it ends, with every other claim not backed by an open socket. An agent forgotten meanwhile (removed on
 * another node) stays forgotten.
 * ARGV: prefix, account, now, agent, node, grace ('1' | '0'), claim until.
 */
export const DISCONNECT = new LuaScript(`${HELPERS}
local agent, node = ARGV[4], ARGV[5]
local before = count()
local status = redis.call('HGET', A .. ':status', agent)
if status then
  redis.call('HDEL', A .. ':connected:' .. agent, node)
  if ARGV[6] == '1' and status == '1' then
    redis.call('HSET', A .. ':claims:' .. agent, node, ARGV[7])
  else
    redis.call('HDEL', A .. ':claims:' .. agent, node)
    dropClaimsWithoutSockets(agent)
  end
  settleAgent(agent)
  settleAccount()
end
return {before, count()}
`);

/** An agent not there at all counts, as "online", until `claim until`. ARGV: prefix, account, now, agent, node, claim until. */
export const EXPECT_BACK = new LuaScript(`${HELPERS}
local agent, node = ARGV[4], ARGV[5]
local before = count()
if redis.call('HEXISTS', A .. ':status', agent) == 0 then
  redis.call('HSET', A .. ':claims:' .. agent, node, ARGV[6])
  redis.call('HSET', A .. ':status', agent, '1')
  settleAgent(agent)
  settleAccount()
end
return {before, count()}
`);

/** ARGV: prefix, account, now, agent, online ('1' | '0'). */
export const SET_ONLINE = new LuaScript(`${HELPERS}
local agent = ARGV[4]
local before = count()
if redis.call('HEXISTS', A .. ':status', agent) == 1 then redis.call('HSET', A .. ':status', agent, ARGV[5]) end
return {before, count()}
`);

/** ARGV: prefix, account, now, agent. */
export const REMOVE = new LuaScript(`${HELPERS}
local before = count()
forget(ARGV[4])
settleAccount()
return {before, count()}
`);

/** ARGV: prefix, account, now. */
export const COUNT = new LuaScript(`${HELPERS}
return count()
`);

/**
 * The heartbeat of one node: renews its claims on the agents it holds sockets of, and answers, for each, the status
 * the agent chose ('1' or '0'), or '' when the agent is not there any more (removed on another node, or run out
 * while this node could not reach Redis): the heartbeat does not bring it back.
 * ARGV: prefix, '', now, node, claim until, connected until, then pairs of account and agent ids.
 */
export const HEARTBEAT = new LuaScript(`
local P, now, node, claimUntil, connectedUntil = ARGV[1], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local DUE = P .. 'presence:due'
local statuses = {}
for i = 7, #ARGV, 2 do
  local account, agent = ARGV[i], ARGV[i + 1]
  local A = P .. 'presence:' .. account
  local status = redis.call('HGET', A .. ':status', agent)
  table.insert(statuses, status or '')
  if status then
    redis.call('HSET', A .. ':claims:' .. agent, node, claimUntil)
    redis.call('HSET', A .. ':connected:' .. agent, node, connectedUntil)
    local latest = tonumber(redis.call('ZSCORE', A .. ':agents', agent) or '0')
    if tonumber(claimUntil) > latest then redis.call('ZADD', A .. ':agents', claimUntil, agent) end
    local first = redis.call('ZRANGE', A .. ':agents', 0, 0, 'WITHSCORES')
    redis.call('ZADD', DUE, first[2], account)
  end
end
return statuses
`);

/**
 * Ends every agent whose claims have all run out, in at most `limit` accounts, and answers how many accounts it
 * looked at, then, for each account whose count changed, its id, the count before and after. Atomic: when several
 * nodes run it, one of them finds each lapse. ARGV: prefix, '', now, limit.
 */
export const LAPSE = new LuaScript(`${HELPERS}
local accounts = redis.call('ZRANGEBYSCORE', DUE, '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
local changes = {#accounts}
for _, acc in ipairs(accounts) do
  account = acc
  A = P .. 'presence:' .. account
  local before = count()
  for _, agent in ipairs(redis.call('ZRANGEBYSCORE', A .. ':agents', '-inf', now)) do forget(agent) end
  settleAccount()
  local after = count()
  if before ~= after then
    table.insert(changes, account)
    table.insert(changes, before)
    table.insert(changes, after)
  end
end
return changes
`);
