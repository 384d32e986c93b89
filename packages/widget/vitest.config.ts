import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // The browser tests start Chromium.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
