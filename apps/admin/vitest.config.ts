import { defineConfig } from 'vitest/config';

// Sign-in runs scrypt, so route tests take tens of milliseconds each; the default timeout is plenty.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
