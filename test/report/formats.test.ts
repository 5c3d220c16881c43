import { spawnSync } from 'node:child_process';
import { Parser } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { renderGithub } from '../../src/report/github.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderNagios } from '../../src/report/nagios.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderTap } from '../../src/report/tap.js';
import { junitSchemaErrors, xpathString } from '../helpers/junit-xsd.js';
import { everyStatusReport, HOSTILE, service } from '../helpers/reports.js';
import { buildReport } from '../../src/report/report.js';
import { requires } from '../helpers/requires.js';
import { safeLine } from '../../src/core/safe-text.js';

/** What every format but JSON shows of remote text: one line, controls visible (core/safe-text.ts). */
const SHOWN = safeLine(HOSTILE);

describe('junit', () => {
  it('validates against the Jenkins JUnit XSD, hostile strings included', () => {
    expect(junitSchemaErrors(renderJunit(everyStatusReport()))).toEqual([]);
  });

  it('fails a case exactly when the status fails the exit code', () => {
    const xml = renderJunit(everyStatusReport());
    expect(xml).toMatch(/<testsuite name="outage" tests="5" failures="2" errors="1" skipped="1" /);
    const relaxed = renderJunit(everyStatusReport('down'));
    expect(relaxed).toMatch(/failures="1" errors="1" skipped="1"/);
    expect(relaxed).toMatch(/<system-out>degraded \(tls\.expiring\)/);
  });

  it('a non-critical service below --fail-on is a note, as TAP says ok: only a failure of one is <skipped>', () => {
    const report = (failOn: 'down' | 'never') =>
      buildReport([service('api', 'up'), service('Optional slow', 'degraded', { critical: false }), service('Optional gone', 'down', { critical: false })], {
        startedAt: new Date('2026-11-20T10:00:00.000Z'),
        durationMs: 10,
        failOn,
        interrupted: false,
      });
    const xml = renderJunit(report('down'));
    expect(xml).toMatch(/<testsuite name="outage" tests="3" failures="0" errors="0" skipped="1" /);
    expect(xml).toMatch(/<testcase name="Optional slow" [^>]*>\n {4}<system-out>degraded \(tls\.expiring\)/);
    expect(xml).toMatch(/<testcase name="Optional gone" [^>]*>\n {4}<skipped>/);
    expect(renderTap(report('down'))).toMatch(/^ok 2 - Optional slow$/m);
    expect(renderJunit(report('never'))).toMatch(/ skipped="0" /);
  });

  it('reads back hostile names through an XML parser as the one safe line every format shows', () => {
    const name = xpathString(renderJunit(everyStatusReport()), '//testcase[2]/@name');
    expect(name).toBe(`Slow ${SHOWN}`);
    expect(SHOWN).toContain('new line tab bell\\x07');
  });
});

describe('prometheus', () => {
  // promtool has no npm build: without it this test is reported as NOT RUN (a failure under CI).
  requires({ tools: ['promtool'] }).it('passes promtool check metrics, hostile label values included', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: renderPrometheus(everyStatusReport()), encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('uses blackbox_exporter names with service and kind labels', () => {
    const text = renderPrometheus(everyStatusReport());
    expect(text).toContain('probe_success{service="Facebook",critical="true"} 0');
    expect(text).toContain('probe_success{service="Up service",critical="true"} 1');
    expect(text).toContain('probe_http_status_code{service="Facebook",critical="true"} 503');
    expect(text).toContain('probe_http_duration_seconds{service="Up service",critical="true",phase="processing"} 0.03');
    expect(text).toContain('probe_ssl_earliest_cert_expiry{service="Up service",critical="true"} 1800403200');
    expect(text).toContain('outage_probe_success{service="Facebook",critical="true",kind="http"} 0');
    expect(text).toContain('outage_service_status{service="Facebook",critical="true",status="down"} 1');
    // An interrupted service has no samples (prometheus.test.ts says why).
    expect(text).toContain(`probe_success{service="Slow quote \\" apostrophe ' <tag> & ]]> pipe | back\\\\slash new line tab bell\\\\x07 `);
  });
});

describe('tap', () => {
  it('is TAP 14 that a TAP parser reads: plan, points, diagnostics, TODO for non-critical', async () => {
    const text = renderTap(everyStatusReport());
    expect(text.startsWith('TAP version 14\n1..5\n')).toBe(true);
    const parser = new Parser();
    const results: { ok: boolean; id: number; name: string; todo: string | boolean; diag: Record<string, unknown> | null }[] = [];
    parser.on('assert', (r) => results.push(r));
    const done = new Promise<{ ok: boolean; count: number; fail: number; todo: number }>((resolve) => parser.on('complete', resolve));
    parser.end(text);
    const final = await done;
    // tap-parser counts a failing TODO point in `fail` too; it does not fail the run.
    expect(final).toMatchObject({ count: 5, fail: 4, todo: 1 });
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, false]);
    expect(results[1]?.name).toContain('Slow quote');
    expect(results[2]?.diag).toMatchObject({ status: 'down', code: 'http.status', reason: expect.stringContaining(SHOWN) });
    expect(results[4]?.todo).toMatch(/non-critical/);
  });

  it('keeps every test point when text holds Unicode line separators (found by the property test)', async () => {
    const report = everyStatusReport();
    report.services[2]!.target = 'paragraph\u2029separator, line\u2028separator, next\u0085line, half an emoji \udfb8';
    const parser = new Parser();
    const done = new Promise<{ count: number }>((resolve) => parser.on('complete', resolve));
    parser.end(renderTap(report));
    expect((await done).count).toBe(5);
  });
  it('ends a run cut short by a signal with Bail out!, after every test point, so a harness sees an aborted run', async () => {
    const report = buildReport([service('api', 'up'), service('slow', 'unknown', { code: 'interrupted', reason: 'stopped before it finished' })], {
      startedAt: new Date('2026-11-20T10:00:00.000Z'),
      durationMs: 10,
      failOn: 'degraded',
      interrupted: true,
    });
    const text = renderTap({ ...report, exitCode: 130 });
    expect(text.trimEnd().split('\n').at(-1)).toBe('Bail out! interrupted: 1 of 2 services cut short, exit code 130');
    const parser = new Parser();
    const bailed: string[] = [];
    parser.on('bailout', (reason: string) => bailed.push(reason));
    const done = new Promise<{ ok: boolean; count: number; bailout: string | boolean }>((resolve) => parser.on('complete', resolve));
    parser.end(text);
    const final = await done;
    expect(bailed).toEqual(['interrupted: 1 of 2 services cut short, exit code 130']);
    expect(final).toMatchObject({ ok: false, count: 2 });
    // A run that finished has none.
    expect(renderTap({ ...report, interrupted: false })).not.toContain('Bail out!');
  });
});

describe('an interrupted run', () => {
  it('is said to be one by every format that has a summary, beside the exit code the process had', () => {
    const report = buildReport([service('api', 'up'), service('slow', 'unknown', { code: 'interrupted', reason: 'stopped before it finished' })], {
      startedAt: new Date('2026-11-20T10:00:00.000Z'),
      durationMs: 10,
      failOn: 'degraded',
      interrupted: true,
    });
    const cut = { ...report, exitCode: 143 };
    expect(renderJunit(cut)).toContain('<property name="interrupted" value="true"/>');
    expect(junitSchemaErrors(renderJunit(cut))).toEqual([]);
    expect(renderMarkdown(cut)).toMatch(/· exit code 143 · interrupted<\/sub>/);
    expect(renderGithub(cut).trimEnd().split('\n').at(-1)).toBe('outage: UNKNOWN — 2 services: 1 up, 1 unknown · interrupted');
    expect(renderTap(cut)).toMatch(/^Bail out! interrupted: /m);
    // A run that finished says nothing of the kind.
    const finished = { ...report, interrupted: false };
    expect(renderJunit(finished)).not.toContain('name="interrupted"');
    for (const text of [renderMarkdown(finished), renderGithub(finished)]) expect(text).not.toContain('· interrupted');
  });
});

describe('markdown', () => {
  const text = renderMarkdown(everyStatusReport());
  const rows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Service') && !l.startsWith('| ---'));

  it('has one row per service with exactly six cells, whatever the strings hold', () => {
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    expect(text).not.toMatch(/<tag>/);
    expect(rows[2]).toMatch(/^\| Facebook \| 🔴 down \| 3ms \| 61d \| 503 · 41ms \| HTTP 503 /);
  });

  it('mentions nobody and references no issue, whatever a name or a server says', () => {
    const reason = 'HTTP 503 ping @acme/oncall, see #12, acme/web#345, GH-7 and https://github.com/acme/web/issues/9 or www.acme.test (mail ops@acme.test)';
    const report = buildReport([service('@octocat', 'down', { reason })], {
      startedAt: new Date('2026-11-20T10:00:00.000Z'),
      durationMs: 10,
      failOn: 'degraded',
      interrupted: false,
    });
    const markdown = renderMarkdown(report);
    // GitHub links `@name`, `#12` and `GH-7` as long as the name or number follows at once, and
    // any bare URL (an issue's becoming a cross-reference).
    expect(markdown).not.toMatch(/(?:@|(?<!&)#)[\p{L}\p{N}_-]|GH-\d|:\/\/|www\./u);
    expect(markdown).toContain('| @&#8203;octocat | 🔴 down |');
    expect(markdown).toContain(
      'ping @&#8203;acme/oncall, see #&#8203;12, acme/web#&#8203;345, GH-&#8203;7 and https:&#8203;//github.com/acme/web/issues/9 or www&#8203;.acme.test (mail ops@&#8203;acme.test)',
    );
  });

  it('drops the emoji with --no-emoji', () => {
    expect(renderMarkdown(everyStatusReport(), { emoji: false })).not.toMatch(/[🟢🟡🔴⚪]/u);
  });
});

describe('github', () => {
  const text = renderGithub(everyStatusReport());
  const lines = text.trimEnd().split('\n');

  it('annotates every service that is not up, one line each, then what they share, then the summary', () => {
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(2);
    expect(lines.at(-2)).toBe('::notice title=outage%3A likely common cause::2 of 3 failing services fail with http.status');
    expect(lines.at(-1)).toBe('outage: UNKNOWN — 5 services: 1 up, 1 degraded, 2 down, 1 unknown');
    expect(lines).toHaveLength(6);
  });

  it('escapes so remote text cannot start a workflow command', () => {
    const facebook = lines.find((l) => l.includes('Facebook')) as string;
    expect(facebook).toMatch(/^::error title=outage%3A Facebook down \(http.status\)::HTTP 503 quote/);
    // The newline is a space already (remote text is one line), and `%` is the runner's escape.
    expect(facebook).toContain('new line tab bell\\x07');
    expect(facebook).toContain('%250A');
  });
});

describe('nagios', () => {
  it('is one plugin line with the status word of the exit code and perfdata', () => {
    const text = renderNagios(everyStatusReport());
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).toMatch(
      /^OUTAGE UNKNOWN - 1 of 5 unknown, 2 down, 1 degraded: Interrupted \(interrupted: stopped before it finished\); down: Facebook \(http\.status: HTTP 503 quote .*\), Optional \(http\.status: HTTP 503 .*\) \[non-critical\]; degraded: Slow .* \(tls\.expiring: TLSv1\.3\) \| /,
    );
    const perf = text.split(' | ')[1]?.trim().split(' ') ?? [];
    expect(perf).toContain('facebook_total=0.041s;2;;0');
    expect(perf).toContain('facebook_cert_days=61;14:;0:;;');
    for (const item of perf) expect(item).toMatch(/^[a-z0-9_]+=[\d.]+s?(;[\d.:]*){0,4}$/);
  });
});
