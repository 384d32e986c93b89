import { defineConfig } from 'vitest/config';

// Sign-in runs scrypt (tens of milliseconds each); on a busy two-core CI machine a test with several sign-ins can
// pass vitest's 5 s default, so the limit is generous. No test asserts on time.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
