/**
 * Runs only the output-snapshot harness (scripts/snapshot/run.snap.ts), never the test suite:
 *
 *   OUTAGE_BIN=/path/to/checkout/bin/outage.js SNAPSHOT_DIR=/tmp/snap npm run snapshot
 *
 * Vite's cache goes to the temp dir so that running the harness writes nothing in the checkout.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  cacheDir: join(tmpdir(), 'outage-snapshot-vite-cache'),
  test: {
    include: ['scripts/snapshot/run.snap.ts'],
    // Scenarios run side by side (it.concurrent), each one's CLI runs one after another.
    maxConcurrency: Number(process.env.SNAPSHOT_CONCURRENCY) || 4,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
