import { defineConfig } from 'vitest/config';

// Sign-in runs scrypt (tens of milliseconds each); on a busy two-core CI machine a test with several sign-ins can
// pass vitest's 5 s default, so the limit is generous. No test asserts on time.
//
// The console's procedures run on SQLite, and again on PostgreSQL (`PARLEY_TEST_STORE=postgres` gives each test
// store a database of its own on the run's server): the files with a store, not the browser test of the console's
// pages, which the procedures' tests already cover on both.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    globalSetup: ['@parley/db/testing/postgres-setup'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['src/**/*.test.ts'], env: { PARLEY_TEST_STORE: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/admin-app.test.ts', 'src/permissions.test.ts', 'src/procedures/**/*.test.ts'],
          env: { PARLEY_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
