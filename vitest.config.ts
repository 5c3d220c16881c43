import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Lists, after the summary, the tests that did not run for want of a system tool or root;
    // then one temporary directory for the whole run, removed at its end.
    globalSetup: ['test/helpers/not-run-summary.ts', 'test/helpers/temp-root.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
