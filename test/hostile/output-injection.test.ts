/**
 * Issue 12, class 8, end to end: loopback servers whose reason phrase, headers, banner, redirect
 * targets, DNS TXT and CNAME answers, certificate subject and status-page incident carry escape
 * sequences, bidi overrides, `::error::` after line breaks and `##[` / `##vso[` — through the real
 * CLI in every format, -v, -q, narrow terminals, report files, the step summary, `wait` and
 * `watch`. Nothing raw reaches any output, no line starts a workflow command, and the text itself
 * is still there to read, made visible.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { diagnosisLines } from '../../src/report/diagnosis.js';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { configFile, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { expectSafeOutput } from '../helpers/remote-text.js';
import { MARKERS, startInjection, type Injection } from './injection-servers.js';

let injection: Injection;
let config: string;
let report: Report;

beforeAll(async () => {
  injection = await startInjection();
  config = configFile({ defaults: { timeout: '3s', retries: 0 }, canaries: [], services: injection.targets.map((t) => ({ name: t.name, ...t.service })) });
  report = JSON.parse((await runCli(['check', '-c', config, '--json'])).stdout) as Report;
});

afterAll(async () => {
  await Promise.all(injection.servers.map((s) => s.close()));
});

function expectClean(result: Pick<CliResult, 'stdout' | 'stderr'>, where: string, commands = 0): void {
  expectSafeOutput(result.stdout, `${where} (stdout)`, { commands });
  expectSafeOutput(result.stderr, `${where} (stderr)`);
  expect(result.stderr, where).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
}

describe('class 8: remote text cannot inject into any output', () => {
  it('each target is classified as it should be, its hostile text kept in the JSON exactly', () => {
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual(injection.targets.map((t) => [t.name, ...t.expect]));
    const json = JSON.stringify(report);
    for (const marker of ['txt-marker', 'incident-marker']) expect(json).toContain(`\\u001b[31m${marker}`);
  });

  it.each(FORMAT_NAMES)('--format %s', async (format) => {
    const result = await runCli(['check', '-c', config, '--format', format]);
    expect(result.code).toBe(2);
    expectClean(result, format, format === 'github' ? report.services.filter((s) => s.status !== 'up').length + diagnosisLines(report).length : 0);
  });

  it('-v shows every hostile text, visibly escaped, at any width', async () => {
    const runs = await Promise.all(
      [undefined, '70', '30'].map((columns) => runCli(['check', '-c', config, '-v'], { env: columns ? { COLUMNS: columns } : {} })),
    );
    for (const [i, result] of runs.entries()) expectClean(result, `-v run ${i}`);
    const [natural] = runs as [CliResult];
    for (const marker of MARKERS.filter((m) => m !== 'phrase-marker')) expect(natural.stdout, marker).toContain(marker);
    expect(natural.stdout).toContain('\\x1b[31mtxt-marker');
    expect(natural.stdout).toContain('\\u{202e}evil');
    expect(natural.stdout).toContain('\\x23#[error]');
    expect(natural.stdout).toContain('\\x23#vso[task.setvariable');
    expectClean(await runCli(['check', '-c', config, '-q']), '-q');
  });

  it('report files and the GitHub step summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-injection-'));
    const summary = join(dir, 'summary.md');
    const reports = FORMAT_NAMES.flatMap((f) => ['--report', `${f}=${join(dir, `report.${f}`)}`]);
    const result = await runCli(['check', '-c', config, ...reports], { env: { GITHUB_STEP_SUMMARY: summary } });
    expectClean(result, 'table with --report');
    for (const f of FORMAT_NAMES) {
      const commands = f === 'github' ? report.services.filter((s) => s.status !== 'up').length + diagnosisLines(report).length : 0;
      expectSafeOutput(readFileSync(join(dir, `report.${f}`), 'utf8'), `report.${f}`, { commands });
    }
    expectSafeOutput(readFileSync(summary, 'utf8'), 'step summary');
  });

  it('wait: its progress lines and the services it gives up on', async () => {
    const lines = await runCli(['wait', '-c', config, '--timeout', '1500ms', '--interval', '300ms', '--probe-timeout', '1s']);
    expect(lines.code).toBe(2);
    expectClean(lines, 'wait');
    expect(lines.stdout).toMatch(/DNS TXT not as expected: down \(dns\.unexpected\) — .*txt-marker/);
    const json = await runCli(['wait', '-c', config, '--timeout', '1s', '--probe-timeout', '1s', '--json']);
    expectClean(json, 'wait --json');
    expect(JSON.parse(json.stdout).services).toHaveLength(injection.targets.length);
  });

  it('watch: one line per change, and the incidents at Ctrl-C', async () => {
    const watch = startCli(['watch', '-c', config, '--interval', '300ms', '--probe-timeout', '1s', '--retries', '0']);
    await watch.waitFor(/status-page incident title degraded/, 15_000);
    watch.child.kill('SIGINT');
    const result = await watch.result;
    expect(result.code).toBe(130);
    expectClean(result, 'watch');
    expect(result.stdout).toMatch(/Incidents this session/);
  });
});
