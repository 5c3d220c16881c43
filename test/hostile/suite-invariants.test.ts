/**
 * Issue 12, must show 2: across the whole hostile suite (suite.ts: HTTP framing, redirects,
 * bodies, TLS failures, DNS misbehaviour, output injection, targets carrying secrets), through the
 * real CLI in every format, -v, -q and report files: no `internal.error`, no stack trace, no exit
 * code 3, no run past the budget README "Always ends" promises, no secret in any form, and every
 * output keeps the output-safety invariants of class 8.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { expectSafeOutput } from '../helpers/remote-text.js';
import type { Hostile } from './servers.js';
import { SUITE, type SuiteGroup } from './suite.js';

const TIMEOUT_MS = 2000;
const RETRIES = 1;
const CONCURRENCY = 32;
/** The watchdog's grace per attempt (README "Always ends"). */
const WATCHDOG_MS = 100;
/** Starting Node, loading the config, rendering and exiting: what is not probing. */
const MARGIN_MS = 2500;

let groups: SuiteGroup[] = [];
let targets: Hostile[] = [];
let env: Record<string, string> = {};
let secrets: string[] = [];
let dir: string;
let config: string;
let budgetMs: number;
let json: CliResult;

beforeAll(async () => {
  const started = await Promise.all(Object.entries(SUITE).map(async ([name, start]) => ({ name, group: await start() })));
  groups = started.map((s) => s.group);
  // Names are unique per group; the group's name makes them unique in the suite.
  targets = started.flatMap(({ name, group }) => group.targets.map((t) => ({ ...t, name: `${name}: ${t.name}` })));
  env = Object.assign({}, ...groups.map((g) => g.env ?? {}));
  secrets = groups.flatMap((g) => g.secrets ?? []);
  // Targets that use their whole budget first, so they share one wave rather than stretch the run.
  const slow = new Set(['http.timeout', 'http.body_timeout', 'tls.handshake_timeout', 'dns.timeout']);
  targets.sort((a, b) => Number(slow.has(b.expect[1] ?? '')) - Number(slow.has(a.expect[1] ?? '')));
  dir = mkdtempSync(join(tmpdir(), 'outage-suite-'));
  config = join(dir, 'suite.json');
  writeFileSync(config, JSON.stringify({ defaults: { timeout: `${TIMEOUT_MS}ms`, retries: RETRIES, concurrency: CONCURRENCY }, canaries: [], services: targets.map((t) => ({ name: t.name, ...t.service })) }));
  const waves = Math.ceil(targets.length / CONCURRENCY);
  budgetMs = (TIMEOUT_MS + WATCHDOG_MS) * (RETRIES + 1) * waves + MARGIN_MS;
  json = await runCli(['check', '-c', config, '--json'], { env });
}, 60_000);

afterAll(async () => {
  await Promise.all(groups.map((g) => g.close()));
});

function expectInvariants(result: CliResult, where: string, files: string[] = []): void {
  const outputs = [result.stdout, result.stderr, ...files];
  // Down targets make it 2 (CRITICAL for nagios); never 3 (unknown, or a bug), nor a config error.
  expect(result.code, `${where}: exit code (stderr: ${result.stderr.slice(0, 300)})`).toBe(2);
  expect(result.signal, `${where}: signal`).toBeNull();
  expect(result.durationMs, `${where}: wall time against the budget of ${budgetMs} ms`).toBeLessThanOrEqual(budgetMs);
  for (const text of outputs) {
    expect(text, `${where}: internal error`).not.toMatch(/internal[._ ]error|a bug in outage/i);
    expect(text, `${where}: stack trace`).not.toMatch(/^\s+at .+(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m);
    expect(text, `${where}: an uncaught error`).not.toMatch(/^(\w*Error|Uncaught)\b.*:/m);
    for (const secret of secrets) expect(text.includes(secret), `${where} shows a secret (${secret.slice(0, 3)}…)`).toBe(false);
  }
}

describe('the whole hostile suite, in every format', () => {
  it('has every group in it', () => {
    expect(targets.length).toBeGreaterThanOrEqual(100);
    expect(secrets.length).toBeGreaterThan(0);
  });

  it('JSON: every target classified as it should be, within the budget', () => {
    expectInvariants(json, 'json');
    expectSafeOutput(json.stdout, 'json');
    const report = JSON.parse(json.stdout) as Report;
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual(targets.map((t) => [t.name, ...t.expect]));
  });

  const runs: [string, string[]][] = [...FORMAT_NAMES.filter((f) => f !== 'json').map((f): [string, string[]] => [f, ['--format', f]]), ['-v', ['-v']], ['-q', ['-q']]];
  // One at a time: under load, runs side by side would measure each other.
  it.each(runs)('%s', async (name, args) => {
    const result = await runCli(['check', '-c', config, ...args], { env: { ...env, COLUMNS: '100' } });
    expectInvariants(result, name);
    expectSafeOutput(result.stdout, name, { commands: name === 'github' ? 'own' : 0 });
    expectSafeOutput(result.stderr, `${name} (stderr)`);
  }, 60_000);

  it('report files of every format and the step summary', async () => {
    const summary = join(dir, 'summary.md');
    const files = FORMAT_NAMES.map((f) => join(dir, `report.${f}`));
    const result = await runCli(['check', '-c', config, '-q', ...FORMAT_NAMES.flatMap((f, i) => ['--report', `${f}=${files[i]}`]), '--report', `github=${join(dir, 'gh.txt')}`], {
      env: { ...env, GITHUB_STEP_SUMMARY: summary },
    });
    const written = [...files, summary].map((f) => readFileSync(f, 'utf8'));
    expectInvariants(result, '--report', written);
    written.forEach((text, i) => expectSafeOutput(text, `report ${i}`, { commands: FORMAT_NAMES[i] === 'github' ? 'own' : 0 }));
  }, 60_000);
});
