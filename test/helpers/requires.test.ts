/**
 * A test that needs what the machine lacks never passes silently: on a developer's machine the
 * suite still passes but says loudly what did not run; under CI it fails.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingFor, underCi } from './requires.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const CONFIG = 'test/fixtures/requires/vitest.config.ts';

interface SuiteRun {
  code: number | null;
  /** vitest's json report: counts and test titles, independent of how a reporter draws them. */
  report: { numPassedTests: number; numFailedTests: number; numTodoTests: number };
  /** Every title and failure message in the report. */
  text: string;
  stderr: string;
}

function runFixtureSuite(ci: string | undefined): Promise<SuiteRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.CI;
  if (ci !== undefined) env.CI = ci;
  const child = spawn(process.execPath, [VITEST, 'run', '--config', CONFIG, '--reporter=json'], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const report = JSON.parse(stdout);
      resolve({ code, report, text: JSON.stringify(report), stderr });
    }),
  );
}

describe('requires(): tests that need a system tool or root', () => {
  it('without CI, the suite passes, the test is a todo named NOT RUN, and a banner says why and how to fix it', async () => {
    const r = await runFixtureSuite(undefined);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ numPassedTests: 2, numFailedTests: 0, numTodoTests: 1 });
    expect(r.text).toContain('NOT RUN: checks with a missing tool — outage-no-such-tool is not on PATH (apt-get install outage-no-such-package)');
    expect(r.stderr).toMatch(/!! NOT RUN: 1 test did not run on this machine/);
    expect(r.stderr).toMatch(/!! {3}test\/fixtures\/requires\/needs-missing\.fixture\.ts > checks with a missing tool\n!! +outage-no-such-tool is not on PATH/);
    expect(r.text + r.stderr).not.toContain('must never run');
  });

  it('under CI=true, the same test fails, naming what is missing', async () => {
    const r = await runFixtureSuite('true');
    expect(r.code).toBe(1);
    expect(r.report).toMatchObject({ numPassedTests: 2, numFailedTests: 1, numTodoTests: 0 });
    expect(r.text).toContain('NOT RUN: outage-no-such-tool is not on PATH (apt-get install outage-no-such-package). CI is set');
    expect(r.stderr).not.toContain('!! NOT RUN');
    expect(r.text + r.stderr).not.toContain('must never run');
  });

  it('names each missing thing with its fix', () => {
    const env = { PATH: '/nonexistent' };
    expect(missingFor({ tools: ['promtool'] }, env, 0)).toEqual(['promtool is not on PATH (apt-get install prometheus)']);
    expect(missingFor({ root: true }, env, 1000)).toEqual(['needs root (run the suite as root, as CI does)']);
    expect(missingFor({ root: true }, env, 0)).toEqual([]);
    expect(missingFor({ tools: ['node'] }, { PATH: `/nonexistent:${process.env.PATH}` }, 0)).toEqual([]);
  });

  it('reads CI as most CI services set it', () => {
    for (const yes of ['true', '1', 'TRUE', 'woodpecker']) expect(underCi({ CI: yes })).toBe(true);
    for (const no of [undefined, '', '0', 'false', 'False']) expect(underCi({ CI: no })).toBe(false);
  });
});
