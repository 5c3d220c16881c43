/**
 * vitest globalSetup: every temporary file of a test run — the tests' own directories, the CLI
 * subprocesses', the lab daemons' — goes under one directory made for the run, removed when the
 * run ends, passed or failed. A test that fails between its mkdtemp and its cleanup (or never
 * cleans up) leaves nothing in the machine's /tmp. Set as TMPDIR, which os.tmpdir() reads and
 * every child process inherits.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'outage-test-run-'));
  // As /tmp is: some tests run the CLI as an unprivileged user, which makes its own files here.
  chmodSync(root, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
