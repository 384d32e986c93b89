import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A PostgreSQL server for the tests that need one (store-copy): the one PARLEY_TEST_DATABASE_URL names, or a
    // throwaway cluster started for the run.
    globalSetup: ['@parley/db/testing/postgres-setup'],
  },
});
