import { defineConfig } from 'vitest/config';

/**
 * Two projects: fast tests (unit + integration, in parallel) and end-to-end tests against the
 * real lab Asterisk (one file at a time: they share Asterisk and the "siaga112" Stasis app).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
