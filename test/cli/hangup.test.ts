/**
 * SIGHUP: the terminal went away (an SSH session dropped, a terminal window closed, a shell that
 * ran `outage check --report … > log &` exited). Like SIGTERM, what finished is printed and the
 * report files written; the process then ends by SIGHUP itself (129 in a shell), never with Node's
 * native abort at exit on a terminal that is gone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startCli } from '../helpers/cli.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';
import { requires } from '../helpers/requires.js';

const inPty = requires({ tools: [{ name: 'script', install: 'apt-get install util-linux' }] });

let up: TestServer;
let hanging: TestServer;
let dir: string;
beforeAll(async () => {
  [up, hanging] = await Promise.all([startHttp(ok), startHttp(() => {})]);
  dir = mkdtempSync(join(tmpdir(), 'outage-hangup-'));
});
afterAll(async () => {
  await Promise.all([up.close(), hanging.close()]);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  hanging.requests = 0;
});

async function stuck(requests = 1): Promise<void> {
  while (hanging.requests < requests) await new Promise((r) => setTimeout(r, 20));
}

describe('SIGHUP', () => {
  it('check prints what finished, writes its report files, and ends by SIGHUP within 500 ms', async () => {
    const file = join(dir, 'check.prom');
    const running = startCli(['check', '--json', '--no-canaries', '--timeout', '60s', up.url, hanging.url, '--report', `prometheus=${file}`]);
    await stuck();
    const sentAt = performance.now();
    running.child.kill('SIGHUP');
    const result = await running.result;
    expect(result.signal).toBe('SIGHUP');
    expect(result.exitedAt - sentAt).toBeLessThan(500);
    const report = JSON.parse(result.stdout);
    expect(report.interrupted).toBe(true);
    expect(report.exitCode).toBe(129);
    expect(report.services.map((s: { status: string; code: string | null }) => [s.status, s.code])).toEqual([
      ['up', null],
      ['unknown', 'interrupted'],
    ]);
    expect(readFileSync(file, 'utf8')).toContain(`probe_success{service="${up.url}",critical="true",outage_report="check.prom"} 1`);
    expect(result.stderr).toBe('');
  });

  it('under --format nagios ends with exit 3, the plugin code its line states, not by the signal', async () => {
    const running = startCli(['check', '--format', 'nagios', '--no-canaries', '--timeout', '60s', up.url, hanging.url]);
    await stuck();
    running.child.kill('SIGHUP');
    const result = await running.result;
    expect(result).toMatchObject({ signal: null, code: 3 });
    expect(result.stdout).toMatch(/^OUTAGE UNKNOWN - /);
    expect(result.stderr).toBe('');
  });

  it('wait says it was interrupted by SIGHUP and what was not ready', async () => {
    const running = startCli(['wait', '--no-canaries', '--probe-timeout', '60s', '--timeout', '2m', hanging.url]);
    await stuck();
    running.child.kill('SIGHUP');
    const result = await running.result;
    expect(result.signal).toBe('SIGHUP');
    expect(result.stdout).toMatch(/interrupted by SIGHUP: 1 of 1 services not ready/);
    expect(result.stderr).toBe('');
  });

  it('watch ends with the session, as on Ctrl-C', async () => {
    const running = startCli(['watch', '--no-canaries', '--probe-timeout', '60s', hanging.url]);
    await stuck();
    running.child.kill('SIGHUP');
    const result = await running.result;
    expect(result.signal).toBe('SIGHUP');
    expect(result.stdout).toMatch(/No incidents this session|Incidents/);
    expect(result.stderr).toBe('');
  });

  inPty.it('a terminal that closes mid-check: the report is written, and no native abort or stack trace', async () => {
    const file = join(dir, 'pty.prom');
    const errors = join(dir, 'pty.err');
    const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
    const args = [BIN, 'check', '--no-canaries', '--timeout', '60s', up.url, hanging.url, '--report', `prometheus=${file}`];
    const command = `stty cols 100 rows 24 && echo "outage-pid=$$" && exec ${quote(process.execPath)} ${args.map(quote).join(' ')} 2>${quote(errors)}`;
    const script = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    script.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let pid = 0;
    try {
      await stuck();
      pid = Number(/outage-pid=(\d+)/.exec(output)?.[1]);
      expect(pid).toBeGreaterThan(0);
      // The terminal's owner dies: the kernel hangs up the pty and sends SIGHUP to outage.
      script.kill('SIGKILL');
      const deadline = performance.now() + 3_000;
      while (performance.now() < deadline && !gone(pid)) await new Promise((r) => setTimeout(r, 20));
      expect(gone(pid)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`probe_success{service="${up.url}",critical="true",outage_report="pty.prom"} 1`);
      expect(readFileSync(errors, 'utf8')).not.toMatch(/Assertion failed|Native stack trace|at .*\.c?js:\d+/);
    } finally {
      if (pid && !gone(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

/** Ended: no such process, or a zombie waiting for init to reap it (its parent was killed). */
function gone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
