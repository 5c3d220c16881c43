/**
 * Tests that need something npm cannot install (a system tool, root for network namespaces).
 *
 *   const withPromtool = requires({ tools: ['promtool'] });
 *   withPromtool.it('passes promtool check metrics', () => { ... });
 *   requires({ root: true, tools: ['ip'] }).describe('network lab', () => { ... });
 *
 * When the machine has everything, these are plain `it`/`describe`. When it lacks something:
 * - with CI set (CI=true), the test is registered and FAILS, saying what is missing: CI must
 *   run every test, and a green run that silently dropped one would hide a regression;
 * - otherwise (a developer's fresh clone) `npm test` still passes, but never silently: the test
 *   becomes a todo named "NOT RUN: <name> — <why>" (vitest counts it as "N todo", never as
 *   passed or skipped), and test/helpers/not-run-summary.ts prints a banner after vitest's
 *   summary listing every test that did not run, why, and how to install what it needs.
 */
import { accessSync, appendFileSync, constants } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { describe as vitestDescribe, expect, inject, it as vitestIt, type TestFunction } from 'vitest';
import { NOT_RUN_FILE_KEY } from './not-run-summary.js';

/** A system tool a test runs, with how to get it when it is missing. */
export interface Tool {
  name: string;
  install: string;
}

export interface Needs {
  /** Executables that must be on PATH; a bare name uses the install hint from TOOL_HINTS. */
  tools?: readonly (string | Tool)[];
  /** The test needs uid 0 (network or mount namespaces it creates itself). */
  root?: boolean;
}

/** Install hints for the tools the suite uses (Debian package names: CI runs on Debian). */
const TOOL_HINTS: Record<string, string> = {
  promtool: 'apt-get install prometheus',
};

export interface Gated {
  /** Why the tests cannot run here (empty when they can). */
  missing: string[];
  it(name: string, fn: TestFunction, timeout?: number): void;
  describe(name: string, fn: () => void): void;
}

/** True when CI is set to anything but an explicit no ('', 0, false), as most CI services set it. */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** What this machine lacks for `needs`, one phrase per missing thing, with how to fix it. */
export function missingFor(needs: Needs, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): string[] {
  const missing: string[] = [];
  for (const tool of needs.tools ?? []) {
    const { name, install } = typeof tool === 'string' ? { name: tool, install: TOOL_HINTS[tool] ?? `install ${tool}` } : tool;
    if (!onPath(name, env)) missing.push(`${name} is not on PATH (${install})`);
  }
  if (needs.root && uid !== 0) missing.push('needs root (run the suite as root, as CI does)');
  return missing;
}

/** Records a test that did not run, for the banner printed after vitest's summary. */
function recordNotRun(name: string, why: string): void {
  let file: string | undefined;
  try {
    file = inject(NOT_RUN_FILE_KEY);
  } catch {
    file = undefined; // run without our vitest.config.ts: the todo alone still shows
  }
  if (!file) return;
  const testPath = expect.getState().testPath;
  const where = testPath ? relative(process.cwd(), testPath) : '?';
  appendFileSync(file, `${JSON.stringify({ where, name, why })}\n`);
}

export function requires(needs: Needs): Gated {
  const missing = missingFor(needs);
  const why = missing.join('; ');
  const ci = underCi();
  const notRun = (name: string): void => {
    if (ci) {
      vitestIt(name, () => {
        throw new Error(`NOT RUN: ${why}. CI is set, so every test must run: install what is missing in .ci/run.`);
      });
    } else {
      vitestIt.todo(`NOT RUN: ${name} — ${why}`);
      recordNotRun(name, why);
    }
  };
  if (missing.length === 0) {
    return { missing, it: (name, fn, timeout) => vitestIt(name, fn, timeout), describe: (name, fn) => vitestDescribe(name, fn) };
  }
  // A describe's own hooks (servers, namespaces) never run: the block becomes one entry.
  return { missing, it: (name) => notRun(name), describe: (name) => notRun(name) };
}
