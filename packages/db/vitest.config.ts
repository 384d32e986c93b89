import { defineConfig } from 'vitest/config';

/**
 * Every store test runs twice: on SQLite, and on PostgreSQL (`PARLEY_TEST_STORE=postgres` makes
 * `createTestDatabase` give each test a database of its own on the run's server). The few files about one engine
 * alone (SQLite's WAL checkpointer, the static import rule, the schema and migration comparisons, which open both
 * engines themselves) run once.
 */
const once = [
  'src/checkpointer.test.ts',
  'src/driver-imports.test.ts',
  'src/ids.test.ts',
  'src/search/search-terms.test.ts',
  'src/second-factor/totp.test.ts',
  'src/table-shape.test.ts',
  'src/schema-conformance.test.ts',
  'src/classification.test.ts',
  'src/copy-store.test.ts',
  'src/postgres/**/*.test.ts',
  'src/testing/postgres-cluster.test.ts',
];

export default defineConfig({
  test: {
    // Tests that start a PostgreSQL cluster, clone databases or race several connections can take seconds on a busy
    // two-core machine; the limit is generous so that only a hang fails them. No test asserts on time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['./src/testing/postgres-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['src/**/*.test.ts'], env: { PARLEY_TEST_STORE: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/**/*.test.ts'],
          exclude: once,
          env: { PARLEY_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
