/**
 * vitest globalSetup: collects the tests that test/helpers/requires.ts did not run (a missing
 * system tool, not root) and prints them after vitest's own summary, where a developer looks
 * last. vitest itself only shows them as "N todo", easy to read past.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

export const NOT_RUN_FILE_KEY = 'outageNotRunFile';

declare module 'vitest' {
  export interface ProvidedContext {
    [NOT_RUN_FILE_KEY]: string;
  }
}

interface NotRun {
  where: string;
  name: string;
  why: string;
}

export function banner(recorded: readonly NotRun[]): string {
  // Watch mode re-collects files: each test is listed once.
  const entries = [...new Map(recorded.map((e) => [`${e.where}\0${e.name}`, e])).values()];
  if (entries.length === 0) return '';
  const rule = '!'.repeat(78);
  const lines = [
    '',
    rule,
    `!! NOT RUN: ${entries.length} test${entries.length === 1 ? '' : 's'} did not run on this machine (counted as "todo" above, not as passed).`,
    ...entries.flatMap((e) => [`!!   ${e.where} > ${e.name}`, `!!       ${e.why}`]),
    '!! Install what is missing to run them. Under CI=true they fail instead.',
    rule,
    '',
  ];
  return lines.join('\n');
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'outage-not-run-'));
  const file = join(dir, 'not-run.jsonl');
  project.provide(NOT_RUN_FILE_KEY, file);
  return () => {
    const entries = existsSync(file)
      ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as NotRun)
      : [];
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(banner(entries));
  };
}
