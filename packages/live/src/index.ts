export * from './bus.ts';
export * from './clock.ts';
export * from './live-state.ts';
export * from './presence.ts';
export { DEFAULT_REDIS_PREFIX, RedisUnreachableError } from './redis/connection.ts';
export { RedisBus } from './redis/redis-bus.ts';
export { RedisPresence } from './redis/redis-presence.ts';
export { RedisSignInThrottle } from './redis/redis-sign-in-throttle.ts';
export * from './sign-in-throttle.ts';
