import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { junitSchemaErrors } from '../helpers/junit-xsd.js';
import { requires } from '../helpers/requires.js';
import { delayed, ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let up: TestServer;
let down: TestServer;
let slow: TestServer;
let dir: string;

beforeAll(async () => {
  [up, down, slow] = await Promise.all([startHttp(ok), startHttp(respond(503)), startHttp(delayed(400))]);
  dir = mkdtempSync(join(tmpdir(), 'outage-formats-'));
});
afterAll(async () => {
  await Promise.all([up.close(), down.close(), slow.close()]);
});

describe('--format and --report', () => {
  it.each([
    ['table', /^UP · 1 service: 1 up · /m],
    ['markdown', /^### 🟢 outage: UP — 1 service: 1 up$/m],
    ['github', /^outage: UP — 1 service: 1 up$/m],
    ['tap', /^# up: 1 service, exit code 0$/m],
  ])('%s says "1 service", as the table does, never "1 services"', async (format, summary) => {
    const r = await runCli(['check', up.url, '--no-canaries', '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(summary);
    expect(r.stdout).not.toMatch(/\b1 services\b/);
  });

  it('junit on stdout and through --report both validate against the XSD', async () => {
    const file = join(dir, 'report.xml');
    const r = await runCli(['check', up.url, down.url, '--format', 'junit', '--report', `junit=${file}`]);
    expect(r.code).toBe(2);
    expect(junitSchemaErrors(r.stdout, 'stdout.xml')).toEqual([]);
    expect(junitSchemaErrors(readFileSync(file, 'utf8'), file)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toMatch(/<failure type="http.status"/);
  });

  it('--report writes extra files while the terminal still gets its table', async () => {
    const tap = join(dir, 'report.tap');
    const json = join(dir, 'report.json');
    const r = await runCli(['check', up.url, '--report', `tap=${tap}`, '--report', `json=${json}`]);
    expect(r.stdout).toMatch(/^┌/);
    expect(readFileSync(tap, 'utf8')).toMatch(/^TAP version 14\n1\.\.1\nok 1 - /);
    expect(JSON.parse(readFileSync(json, 'utf8')).schemaVersion).toBe(1);
  });

  // promtool has no npm build: without it this test is reported as NOT RUN (a failure under CI).
  requires({ tools: ['promtool'] }).it('prometheus output passes promtool check metrics', async () => {
    const r = await runCli(['check', up.url, down.url, '--format', 'prometheus']);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: r.stdout, encoding: 'utf8' });
    expect(promtool.error).toBeUndefined();
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);
    expect(r.stdout).toMatch(/probe_success\{service="http:\/\/127\.0\.0\.1:\d+",critical="true"\} 0/);
  });

  it.each([
    ['OK', () => [up.url], 0],
    ['WARNING', () => [slow.url, '--timeout', '5s'], 1],
    ['CRITICAL', () => [up.url, down.url], 2],
  ] as const)('nagios prints the plugin line %s and exits with the plugin code', async (word, args, code) => {
    const file = join(dir, `nagios-${word}.yaml`);
    // Margins that a loaded CI machine cannot blur: up answers at once, slow after 400 ms.
    writeFileSync(file, 'defaults:\n  latency: { degraded: 200ms }\nservices: []\n');
    const r = await runCli(['check', '-c', file, ...args(), '--format', 'nagios']);
    expect(r.code).toBe(code);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^OUTAGE ${word} - .* \\| \\S+_total=[\\d.]+s;0\\.2;;0`));
  });

  it('rejects a bad --report before probing anything', async () => {
    const before = up.requests;
    const r = await runCli(['check', up.url, '--report', 'xml=out.xml']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/expected FORMAT=PATH/);
    expect(up.requests).toBe(before);
  });

  it('two targets that differ only in their password stay two services in every format, two series in prometheus', async () => {
    const first = down.url.replace('//', '//u:first-secret@');
    const second = down.url.replace('//', '//u:second-secret@');
    const prom = await runCli(['check', first, second, '--no-canaries', '--format', 'prometheus']);
    expect(prom.code).toBe(2);
    const successes = prom.stdout.split('\n').filter((l) => l.startsWith('probe_success{'));
    expect(successes).toHaveLength(2);
    expect(new Set(successes).size).toBe(2);
    expect(prom.stdout).not.toMatch(/first-secret|second-secret/);
    const tap = await runCli(['check', first, second, '--no-canaries', '--format', 'tap']);
    expect(tap.stdout).toMatch(new RegExp(`^not ok 2 - http://\\*\\*\\*@127\\.0\\.0\\.1:${down.port}/? \\(2\\)$`, 'm'));
  });

  it('a report path that cannot be written is a clear error, exit 73', async () => {
    const r = await runCli(['check', up.url, '--report', 'junit=/nonexistent/dir/report.xml']);
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/cannot write the junit report to \/nonexistent\/dir\/report\.xml: the directory \/nonexistent does not exist\n/);
  });
});

describe('GitHub Actions', () => {
  it('emits annotations and appends a summary table to GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['check', up.url, down.url, '--format', 'github'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^::error title=outage%3A http%3A//127.0.0.1%3A${down.port} down \\(http.status\\)::HTTP 503`, 'm'));
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n')).toBe(true);
    expect(written).toMatch(/\| Service \| Status \| DNS \| TLS \| HTTP \| Reason \|/);
    expect(written).toMatch(/\| 🔴 down \|/);
  });

  it('keeps the step summary within GitHub\'s 1 MiB, which drops a larger one whole: the failing service first', async () => {
    const summary = join(dir, 'full-step-summary.md');
    // What this step wrote before outage: the summary is the step's, not outage's alone.
    writeFileSync(summary, `${'x'.repeat(1024 * 1024 - 4096)}\n`);
    const targets = Array.from({ length: 40 }, (_, i) => `${up.url}/${'long-path-'.repeat(10)}${i}`);
    const r = await runCli(['check', ...targets, down.url, '--no-canaries', '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(2);
    const written = readFileSync(summary, 'utf8');
    expect(Buffer.byteLength(written)).toBeLessThan(1024 * 1024);
    expect(written).toMatch(/\| 🔴 down \|/);
    expect(written).toMatch(/\n> \d+ services not shown \(all up\): GitHub keeps at most 1 MiB of step summary/);
    expect(written).toMatch(/exit code 2<\/sub>\n$/);
  });
});
