import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The Redis the Redis implementations are tested on: PARLEY_TEST_REDIS_URL, or a throwaway server for the run.
    globalSetup: ['./src/testing/redis-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
