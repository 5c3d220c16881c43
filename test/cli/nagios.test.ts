/** `--format nagios` as Nagios and NRPE run it: every outcome is a plugin line and an exit code 0-3. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { respond, startHttp, startTcp, type TestServer } from '../helpers/servers.js';

let down: TestServer;
let dir: string;

beforeAll(async () => {
  down = await startHttp(respond(503, 'maintenance'));
  dir = mkdtempSync(join(tmpdir(), 'outage-nagios-'));
});
afterAll(() => down.close());

function invalidConfig(): string {
  const file = join(dir, 'invalid.yaml');
  writeFileSync(file, 'services:\n  - name: api\n    url: 5\n  - nme: db\n');
  return file;
}

describe('check --format nagios', () => {
  it('a config error is UNKNOWN (exit 3) with the reason on stdout, not exit 78', async () => {
    const file = invalidConfig();
    const r = await runCli(['check', '-c', file, '--format', 'nagios']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(
      `OUTAGE UNKNOWN - Invalid configuration in ${file} (3 problems): services[0].url: expected string, got number 5; services[1].name: is required (string); services[1].nme: unknown key (did you mean "name"?)\n`,
    );
    // Without nagios the same config is still the usual configuration error.
    const plain = await runCli(['check', '-c', file]);
    expect(plain.code).toBe(78);
    expect(plain.stdout).toBe('');
  });

  it.each([
    ['an unknown flag', ['--bogus', '-f', 'nagios'], /^OUTAGE UNKNOWN - unknown option '--bogus'\n$/],
    ['a bad --report', ['-fnagios', '--report', 'xml=out.xml'], /^OUTAGE UNKNOWN - --report "xml=out\.xml": expected FORMAT=PATH with FORMAT one of /],
    ['a malformed duration', ['--format=nagios', '--timeout', 'soon'], /^OUTAGE UNKNOWN - .*--timeout/],
  ])('%s is UNKNOWN (exit 3), not a usage error (64)', async (_what, args, line) => {
    const r = await runCli(['check', down.url, '--no-canaries', ...args]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(line);
    expect(r.stdout.split('\n')).toHaveLength(2);
  });

  it('a report file it cannot write is UNKNOWN (exit 3) with the path and why, not 73', async () => {
    const r = await runCli(['check', down.url, '--no-canaries', '-f', 'nagios', '--report', `junit=${dir}/missing/report.xml`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`OUTAGE UNKNOWN - cannot write the junit report to ${dir}/missing/report.xml: the directory ${dir}/missing does not exist\n`);
  });

  it('a long run stays within 1024 bytes and still parses: status word, reasons, perfdata after |', async () => {
    const targets = Array.from({ length: 30 }, (_, i) => `${down.url}/a/rather/long/path/to/health/check/number/${i}`);
    const r = await runCli(['check', ...targets, '--no-canaries', '--format', 'nagios']);
    expect(r.code).toBe(2);
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1024);
    const match = /^OUTAGE CRITICAL - (30 of 30 down: [^|]+) \| (.+)\n$/.exec(r.stdout);
    expect(match, r.stdout).not.toBeNull();
    expect(match?.[1]).toContain(`${targets[0]} (http.status`);
    for (const item of match?.[2]?.split(' ') ?? []) expect(item).toMatch(/^[a-z0-9_]+=[\d.]+s(;[\d.:]*){0,4}$/);
  });

  it('Ctrl-C gives the partial plugin line and exit 3, not 130', async () => {
    const silent = await startTcp(() => undefined);
    const run = startCli(['check', `http://127.0.0.1:${silent.port}/`, '--no-canaries', '-f', 'nagios', '--timeout', '30s']);
    try {
      // Interrupt once the check is under way: the server has seen its connection.
      for (let waited = 0; silent.connections === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      run.child.kill('SIGINT');
      const r = await run.result;
      expect(r.code).toBe(3);
      // No perfdata: the time until the signal is no latency of the service (it was not measured).
      expect(r.stdout).toMatch(/^OUTAGE UNKNOWN - 1 of 1 unknown: http:\/\/127\.0\.0\.1:\d+\/ \(interrupted: [^)]+\)\n$/);
    } finally {
      run.child.kill('SIGKILL');
      await silent.close();
    }
  });

  it('a short run carries each reason', async () => {
    const r = await runCli(['check', down.url, '--no-canaries', '-f', 'nagios']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^OUTAGE CRITICAL - 1 of 1 down: ${down.url.replace(/\./g, '\\.')} \\(http\\.status: HTTP 503 [^)]*\\)+ \\| `));
  });
});
