/**
 * outage under a low open-file limit (`ulimit -n`), run as a user runs it: the real executable,
 * in a shell that lowered its own limit. Healthy services stay up however low the limit, start-up
 * either works or says why with exit 71, and nothing is ever "a bug in outage" or a stack trace.
 * (Below about 18 files Node itself cannot start, before any of outage runs.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { BIN, configFile } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `outage ARGS` under `ulimit -n limit` (soft and hard, as bash's `ulimit -n` sets both). */
/** The lowest open-file limit at which this Node can run outage's executable at all. */
function nodeFloor(): number {
  for (let limit = 12; limit < 64; limit += 1) {
    const probe = spawnSync('bash', ['-c', 'ulimit -n "$0" && exec "$@"', String(limit), process.execPath, BIN, '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return limit;
  }
  throw new Error('this Node does not start under 64 open files');
}

function runLimited(limit: number, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', 'ulimit -n "$0" && exec "$@"', String(limit), process.execPath, BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectNoCrash(run: Run): void {
  expect(run.stderr).not.toMatch(/bug in outage|internal error/);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

let servers: TestServer[] = [];

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 300 }, () => startHttp(ok)));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('outage under a low open-file limit', () => {
  it('300 healthy services at concurrency 300 under ulimit -n 128: all up, exit 0, fewer at once and saying so', async () => {
    const config = configFile({ canaries: [], defaults: { retries: 0 }, services: servers.map((s, i) => ({ name: `s${i}`, url: s.url })) });
    const run = await runLimited(128, ['check', '-c', config, '--concurrency', '300', '--json']);
    expectNoCrash(run);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.services.filter((s) => s.status !== 'up').map((s) => `${s.name} ${s.status} ${s.code} ${s.reason}`)).toEqual([]);
    expect(report.services).toHaveLength(300);
    expect(run.code).toBe(0);
    const [, allowed] = /checking (\d+) services at a time, not 300: the open-file limit \(ulimit -n\) is 128\./.exec(run.stderr) ?? [];
    expect(Number(allowed)).toBeGreaterThan(0);
    expect(Number(allowed)).toBeLessThan(64);
    // Said once, as one line.
    expect(run.stderr.match(/open-file limit/g)).toHaveLength(1);
  });

  it('ulimit -n 32: starts (loading its modules one at a time) and checks, up', async () => {
    const target = servers[0]?.url as string;
    const run = await runLimited(32, ['check', '--no-canaries', '--json', target]);
    expectNoCrash(run);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).services[0]).toMatchObject({ status: 'up', code: null });
  });

  // Below a floor Node itself cannot start (it cannot read the executable or its package.json):
  // 19 files for Node 20, 22 for Node 24. outage is judged from that floor up.
  const floor = nodeFloor();

  it.each([0, 1, 3, 5])('ulimit -n at Node\'s floor + %i: up, or outage\'s own limit said as such — never an internal error', async (extra) => {
    const limit = floor + extra;
    const target = servers[0]?.url as string;
    const run = await runLimited(limit, ['check', '--no-canaries', '--timeout', '2s', '--json', target]);
    expectNoCrash(run);
    if (run.code === 0) {
      expect((JSON.parse(run.stdout) as Report).services[0]).toMatchObject({ status: 'up' });
    } else if (run.code === 3) {
      // Started, but no socket could be had within the budget: unknown, outage's own limit.
      expect((JSON.parse(run.stdout) as Report).services[0]).toMatchObject({ status: 'unknown', code: 'local.resources' });
    } else {
      expect(run.code).toBe(71);
      expect(run.stderr).toMatch(new RegExp(`^outage: too few open files \\(EMFILE(; ulimit -n is ${limit})?\\)\\. Raise the limit, e\\.g\\. ulimit -n 1024\n$`));
      // No report, but --json still gets its one document: the error, with its code.
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', exitCode: 71, error: { code: 'local.resources', message: expect.stringMatching(/^too few open files/) } });
    }
  });

  it("under --format nagios at that floor: a plugin line (UNKNOWN for outage's own limit), exit 0 or 3", async () => {
    const target = servers[0]?.url as string;
    const run = await runLimited(floor, ['check', '--no-canaries', '--timeout', '2s', '--format', 'nagios', target]);
    expectNoCrash(run);
    expect(run.stdout).toMatch(/^OUTAGE (UNKNOWN - (too few open files \(EMFILE|1 of 1 unknown: .*local\.resources)|OK - )/);
    expect([0, 3]).toContain(run.code);
  });
});
