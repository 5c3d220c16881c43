/**
 * Every bad config in test/fixtures/invalid/ exits 78 through the real CLI and prints exactly the
 * problems listed for it in expected.json — each with its key path — and never a stack trace.
 */
import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const DIR = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, string[]>;
const files = readdirSync(DIR).filter((f) => f !== 'expected.json').sort();
const STACK = /\n\s+at .+:\d+:\d+|\.(ts|js):\d+:\d+/;

function problemLines(stderr: string): string[] {
  return stderr.split('\n').slice(1).filter(Boolean).map((l) => l.replace(/^ {2}/, '').replaceAll(DIR, '<dir>/'));
}

describe('the bad-config corpus', () => {
  it('has at least 25 configs, each with its expected problems', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s exits 78 with its problems and no stack trace', async (file) => {
    const r = await runCli(['validate', '--config', join(DIR, file)]);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^outage: Invalid configuration in ${join(DIR, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ problems?\\):\\n`));
    expect(problemLines(r.stderr)).toEqual(expected[file]);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('every problem about a key names its key path', () => {
    const whole = /^(cannot be read|the file is|expected a mapping)/;
    for (const [file, problems] of Object.entries(expected)) {
      for (const problem of problems) {
        if (!whole.test(problem)) expect(problem, `${file}: ${problem}`).toMatch(/^[A-Za-z_$][\w$]*(\[\d+\]|\.[\w$]+|\["[^"]*"\])*: /);
      }
    }
  });

  it('a 10 MB file is refused before it is used', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outage-big-')), 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(100)}\n`.repeat(100_000) + 'services: []\n');
    const r = await runCli(['check', '--config', file]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/the file is 9\.8 MB; a config may be at most 5\.0 MB/);
  });
});
