import { defineConfig } from 'vitest/config';

/**
 * The server's suite runs on SQLite, and again on PostgreSQL (`PARLEY_TEST_STORE=postgres`: every test app's store,
 * and every Parley `bootstrap` starts in a test, is a PostgreSQL database of its own on the run's server), except
 * the files that use no store or are about the SQLite file itself.
 */
const withoutStore = [
  'src/cli/create-staff.test.ts',
  'src/delivery/**',
  'src/chat/transcript.test.ts',
  'src/files/file-checks.test.ts',
  'src/files/upload-token.test.ts',
  'src/logger.test.ts',
  'src/sockets/delivered-messages.test.ts',
  'src/sockets/masked-path.test.ts',
  'src/sockets/socket-channel.test.ts',
  'src/sockets/shared-accounts.test.ts',
  'src/sockets/user-agent-family.test.ts',
  'src/static/**',
  'src/cli/store-copy.test.ts',
  'test/faults/**',
  'test/deploy/**',
  'test/executable/**',
  'test/browser/accessibility.test.ts',
  'test/browser/demo-and-dashboard.test.ts',
  'test/browser/invitation-in-use.test.ts',
  'test/browser/mail-limits-widget.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The PostgreSQL server the tests use: the one PARLEY_TEST_DATABASE_URL names, or a throwaway cluster started
    // for the run; and the Redis: PARLEY_TEST_REDIS_URL, or a throwaway server.
    globalSetup: ['@parley/db/testing/postgres-setup', '@parley/live/testing/redis-setup'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          // Several nodes need a store they share: the cluster runs on PostgreSQL only.
          exclude: ['test/cluster/**'],
          env: { PARLEY_TEST_STORE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: withoutStore,
          env: { PARLEY_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
