/**
 * Every temporary file of a test run lives under the run's own directory (temp-root.ts), which
 * the run removes at its end: nothing of it is left in the shared /tmp, and nothing of it is
 * mistaken for another run's leftovers there (.ci/run's check).
 */
import { basename, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { NOT_RUN_FILE_KEY } from './not-run-summary.js';

describe("the run's temporary directory", () => {
  it('is every test file\'s os.tmpdir()', () => {
    expect(basename(tmpdir())).toMatch(/^outage-test-run-/);
  });

  it('holds the list of tests that did not run too', () => {
    const file = inject(NOT_RUN_FILE_KEY);
    expect(relative(tmpdir(), file)).not.toMatch(/^\.\.(\/|$)/);
  });
});
