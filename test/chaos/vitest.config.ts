import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The chaos suite (npm run test:chaos): not part of `npm test`'s projects, run after it by
 * .ci/run. One file, against the real lab Asterisk, which global-setup owns as for e2e.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
