import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary directory for the whole run, removed at its end; then the list of tests that
    // did not run for want of a system tool or root, printed after the summary. In this order: the
    // list's own file is made inside the run's directory (made after it, it went to the shared
    // /tmp), and vitest tears down in reverse, so the list is read before the directory goes.
    globalSetup: ['test/helpers/temp-root.ts', 'test/helpers/not-run-summary.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
