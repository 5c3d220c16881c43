import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startCli } from '../helpers/cli.js';
import { ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let up: TestServer;
let hanging: TestServer;
beforeAll(async () => {
  [up, hanging] = await Promise.all([startHttp(ok), startHttp(() => {})]);
});
afterAll(async () => {
  await Promise.all([up.close(), hanging.close()]);
});

describe('signals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s cancels in-flight probes, prints partial results and exits %d within 500 ms', async (signal, code) => {
    const running = startCli(['check', '--json', '--timeout', '60s', up.url, hanging.url, hanging.url.replace('127.0.0.1', 'localhost')]);
    // Wait until the hanging server holds both requests: the run is truly stuck in flight.
    while (hanging.requests < 2) await new Promise((r) => setTimeout(r, 20));
    const sentAt = performance.now();
    running.child.kill(signal);
    const result = await running.result;
    expect(result.code).toBe(code);
    expect(result.exitedAt - sentAt).toBeLessThan(500);
    const report = JSON.parse(result.stdout);
    expect(report.interrupted).toBe(true);
    expect(report.services.map((s: { status: string; code: string | null }) => [s.status, s.code])).toEqual([
      ['up', null],
      ['unknown', 'interrupted'],
      ['unknown', 'interrupted'],
    ]);
    expect(result.stderr).toBe('');
    hanging.requests = 0;
  });
});

describe('TAP of an interrupted check', () => {
  it('ends with Bail out! after every test point, and states the exit code the shell saw', async () => {
    const running = startCli(['check', '--no-canaries', '--format', 'tap', '--timeout', '60s', up.url, hanging.url]);
    while (hanging.requests < 1) await new Promise((r) => setTimeout(r, 20));
    running.child.kill('SIGTERM');
    const result = await running.result;
    expect(result.code).toBe(143);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => /^(not )?ok \d/.test(l))).toEqual([`ok 1 - ${up.url}`, `not ok 2 - ${hanging.url}`]);
    expect(lines.at(-1)).toBe('Bail out! interrupted: 1 of 2 services cut short, exit code 143');
    hanging.requests = 0;
  });
});

describe('a textfile written by an interrupted check', () => {
  it('holds what finished, and no probe_success 0 for a service that was cut short rather than measured', async () => {
    // `timeout 50s outage check --report prometheus=…` in cron, or a shutdown: the file is read
    // by alerts on probe_success == 0, which must not fire for a service nobody saw fail.
    const dir = mkdtempSync(join(tmpdir(), 'outage-interrupted-'));
    try {
      const file = join(dir, 'outage.prom');
      const running = startCli(['check', '--no-canaries', '--quiet', '--timeout', '60s', up.url, hanging.url, '--report', `prometheus=${file}`]);
      while (hanging.requests < 1) await new Promise((r) => setTimeout(r, 20));
      running.child.kill('SIGTERM');
      const result = await running.result;
      expect(result.code).toBe(143);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(`probe_success{service="${up.url}",critical="true",outage_report="outage.prom"} 1`);
      expect(text).not.toContain(hanging.url);
      expect(text).toMatch(/^outage_last_check_timestamp_seconds\{outage_report="outage.prom"\} /m);
    } finally {
      hanging.requests = 0;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pipes', () => {
  function shell(command: string): Promise<{ stderr: string; statuses: string }> {
    return new Promise((resolve) => {
      const child = spawn('bash', ['-c', `${command}; echo "\${PIPESTATUS[*]}" >&2`], { env: { ...process.env, NO_COLOR: '1' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.resume();
      child.on('close', () => {
        const lines = stderr.trimEnd().split('\n');
        resolve({ statuses: lines.pop() ?? '', stderr: lines.join('\n') });
      });
    });
  }

  it('`outage check --json | head -c 10` ends quietly: no EPIPE, no stack trace', async () => {
    const targets = Array.from({ length: 40 }, () => up.url).join(' ');
    const { stderr, statuses } = await shell(`node ${BIN} check --json ${targets} | head -c 10`);
    expect(stderr).toBe('');
    expect(statuses.split(' ')[0]).toMatch(/^(0|141)$/);
  });

  it('a reader that stops early (`| head`) does not turn a failing check into exit 0: the gate still fails', async () => {
    // `set -o pipefail; outage check | head -5` in CI passed with every service down: the closed
    // pipe ended the process with exit 0 before the check's code was set.
    const down = await startHttp(respond(503, 'no'));
    try {
      const targets = Array.from({ length: 60 }, (_, i) => `${down.url}/?n=${i}`).join(' ');
      for (const format of ['--json', '--format=table', '--format=junit']) {
        const { stderr, statuses } = await shell(`node ${BIN} check --no-canaries ${format} ${targets} | head -c 10`);
        expect(stderr, format).toBe('');
        expect(statuses, format).toBe('2 0');
      }
      const wait = await shell(`node ${BIN} wait --no-canaries --json --timeout 300ms ${targets} 2>/dev/null | head -c 10`);
      expect(wait.statuses).toBe('2 0');
    } finally {
      await down.close();
    }
  });

  it('`outage watch | head -n 1` ends as soon as head has gone, while nothing changes: 141, as for SIGPIPE, no trace', async () => {
    // The interval is a minute: only noticing the reader's end, not a write, can end it this soon.
    const started = performance.now();
    const { stderr, statuses } = await shell(`timeout 20 node ${BIN} watch --no-canaries --interval 60s ${up.url} | head -n 1`);
    expect(statuses).toBe('141 0');
    expect(stderr).toBe('');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('`outage wait | head -n 1` ends as soon as head has gone, still not ready (2), while nothing changes', async () => {
    const started = performance.now();
    const { stderr, statuses } = await shell(`timeout 20 node ${BIN} wait --no-canaries --timeout 60s --probe-timeout 200ms ${hanging.url} | head -n 1`);
    expect(statuses).toBe('2 0');
    expect(stderr).toBe('');
    expect(performance.now() - started).toBeLessThan(10_000);
    hanging.requests = 0;
  });

  it('a reader slower than the report still gets all of it before outage exits', async () => {
    // Far more than a pipe holds (64 KiB): outage must not exit while the report is still queued.
    const targets = Array.from({ length: 120 }, (_, i) => `${up.url}?n=${i}`).join(' ');
    const dir = mkdtempSync(join(tmpdir(), 'outage-pipe-'));
    try {
      const file = join(dir, 'report.json');
      const { stderr, statuses } = await shell(`node ${BIN} check --json ${targets} | (sleep 0.5; cat > ${file})`);
      expect(stderr).toBe('');
      expect(statuses).toBe('0 0');
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(64 * 1024);
      const report = JSON.parse(text) as { services: { status: string }[] };
      expect(report.services.map((s) => s.status)).toEqual(Array(120).fill('up'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a closed stdout does not crash it', async () => {
    const { stderr, statuses } = await shell(`node ${BIN} check ${up.url} >&-`);
    expect(stderr).not.toMatch(/EPIPE|EBADF|at .+:\d+:\d+/);
    expect(statuses).toBe('0');
  });

  it('a stdout that cannot be written (a full disk) is exit 74 saying so, never 0 with the report lost', async () => {
    for (const args of ['', '--json', '--format junit']) {
      const { stderr, statuses } = await shell(`node ${BIN} check --no-canaries ${args} ${up.url} > /dev/full`);
      expect(statuses, args).toBe('74');
      expect(stderr).toBe('outage: cannot write to standard output: no space left on the device (disk full)');
    }
    // A Nagios plugin exits 0-3: a lost output is UNKNOWN.
    expect((await shell(`node ${BIN} check --no-canaries -f nagios ${up.url} > /dev/full`)).statuses).toBe('3');
  });

  it('with stdout lost, every report file states the exit code the process had (74; 3 for a plugin), not the check\'s own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-lost-stdout-'));
    try {
      const reports = ['json', 'tap', 'junit', 'markdown', 'nagios'].map((format) => `--report ${format}=${join(dir, format)}`).join(' ');
      const { stderr, statuses } = await shell(`node ${BIN} check --no-canaries ${reports} ${up.url} > /dev/full`);
      expect(statuses).toBe('74');
      expect(stderr).toBe('outage: cannot write to standard output: no space left on the device (disk full)');
      const read = (format: string) => readFileSync(join(dir, format), 'utf8');
      expect(JSON.parse(read('json'))).toMatchObject({ status: 'up', exitCode: 74 });
      expect(read('tap')).toMatch(/^# up: 1 service, exit code 74$/m);
      expect(read('junit')).toContain('<property name="exitCode" value="74"/>');
      expect(read('markdown')).toMatch(/· exit code 74<\/sub>/);
      // Nagios words follow the code: a plugin whose output was lost is UNKNOWN.
      expect(read('nagios')).toMatch(/^OUTAGE UNKNOWN - all 1 up/);
      const plugin = await shell(`node ${BIN} check --no-canaries -f nagios --report json=${join(dir, 'plugin.json')} ${up.url} > /dev/full`);
      expect(plugin.statuses).toBe('3');
      expect(JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')).exitCode).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
