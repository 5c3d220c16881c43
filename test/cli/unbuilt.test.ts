/**
 * A checkout whose build is missing (cloned and not built, `npm ci --ignore-scripts`, or while
 * `npm run build` rebuilds dist/) says so and how to fix it, never with Node's stack trace.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function unbuiltCheckout(): string {
  dir = mkdtempSync(join(tmpdir(), 'outage-unbuilt-'));
  mkdirSync(join(dir, 'bin'));
  for (const file of ['bin/outage.js', 'bin/package.json']) copyFileSync(join(ROOT, file), join(dir, file));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return join(dir, 'bin/outage.js');
}

function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

describe('outage with no build', () => {
  it('says it is not built and how to build it, exit 70', async () => {
    const r = await run(unbuiltCheckout(), ['check', 'http://127.0.0.1:1/', '--no-canaries']);
    expect(r.code).toBe(70);
    expect(r.stderr).toBe(`outage: outage is not built: ${join(dir, 'dist', 'cli.cjs')} is missing. Run npm run build in ${dir} (npm install runs it)\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('under --format nagios it is UNKNOWN on stdout, exit 3', async () => {
    const r = await run(unbuiltCheckout(), ['check', 'http://127.0.0.1:1/', '--no-canaries', '--format', 'nagios']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^OUTAGE UNKNOWN - outage is not built: /);
  });

  it('with JSON asked for, stdout holds the error document; a target named json is not a request for it', async () => {
    const bin = unbuiltCheckout();
    for (const args of [['--json'], ['--format', 'json'], ['-f', 'json'], ['--format=json']]) {
      const r = await run(bin, ['check', 'http://127.0.0.1:1/', ...args]);
      expect(r.code).toBe(70);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', exitCode: 70, error: { code: 'internal.not_built' } });
    }
    const named = await run(bin, ['list', 'json']);
    expect(named).toMatchObject({ code: 70, stdout: '' });
  });

  it('still answers --version without the build', async () => {
    const r = await run(unbuiltCheckout(), ['--version']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});
