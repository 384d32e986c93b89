import type { TestProject } from 'vitest/node';
import { startTestRedis } from './redis.ts';

/**
 * vitest `globalSetup`: once per test run, the Redis the tests share (`PARLEY_TEST_REDIS_URL`, or a throwaway
 * server stopped afterwards). Test files reach it with `testRedisUrl()`, each under a key prefix of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestRedis();
  project.provide('parleyRedis', { url: server.url });
  return () => server.stop();
}
