/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Astro's Vite config, so tests can import `.astro` components and render them with the container API.
export default getViteConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The browser test starts Chromium; the build check may build the site first.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
