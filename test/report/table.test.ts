import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/report/colors.js';
import { renderJson } from '../../src/report/json.js';
import { buildReport } from '../../src/report/report.js';
import { renderTable } from '../../src/report/table.js';
import type { ServiceResult } from '../../src/report/types.js';
import { renderVerbose } from '../../src/report/verbose.js';

const hostile = `quote " apostrophe ' <tag> & ]]> new\nline ünïcødé 🚨`;

function service(name: string, status: ServiceResult['status'], code: ServiceResult['code'], critical = true): ServiceResult {
  return {
    name,
    target: `https://${name.replace(/\W/g, '')}.test/`,
    status,
    code,
    reason: `${status}: ${hostile}`,
    critical,
    tags: [],
    durationMs: 12,
    probes: [
      { kind: 'dns', status: status === 'down' ? 'down' : 'up', code: status === 'down' ? 'dns.servfail' : null, reason: 'r', durationMs: 3, attempts: 1, details: {} },
      { kind: 'tls', status: status === 'down' ? 'skipped' : status, code: status === 'degraded' ? 'tls.expiring' : null, reason: 'r', durationMs: 4, attempts: 1, details: { daysLeft: 5.2 } },
      { kind: 'http', status: status === 'down' ? 'skipped' : 'up', code: null, reason: 'r', durationMs: 5, attempts: 1, timings: { total: 42 }, details: { status: 200 } },
    ],
  };
}

const services = [service('Up', 'up', null), service('Slow', 'degraded', 'tls.expiring'), service('Facebook', 'down', 'dns.servfail'), service(hostile, 'unknown', 'interrupted', false)];
const report = buildReport(services, { startedAt: new Date(0), durationMs: 1234, failOn: 'degraded', interrupted: false });

describe('report', () => {
  it('counts every service, judges only critical ones, and maps the exit code', () => {
    expect(report.counts).toEqual({ up: 1, degraded: 1, down: 1, unknown: 1 });
    expect(report.status).toBe('down');
    expect(report.exitCode).toBe(2);
  });
});

describe('renderTable', () => {
  const text = renderTable(report, { chalk: makeChalk(0) });

  it('shows each service in order with its status, cells and reason', () => {
    const rows = text.split('\n').filter((l) => l.startsWith('│') && !l.includes('Service'));
    expect(rows.findIndex((l) => l.includes('Up'))).toBeLessThan(rows.findIndex((l) => l.includes('Facebook')));
    expect(text).toMatch(/│ Slow\s+│ ▲ degraded │ 3ms\s+│ 5d\s+│ 200 · 42ms │/);
    expect(text).toMatch(/│ Facebook\s+│ ✖ down\s+│ servfail │ skipped │ skipped\s+│/);
    expect(text).toContain('(non-critical)');
    expect(text).toContain('ünïcødé 🚨');
  });

  it('fits a terminal of the given width, wrapping the reason', () => {
    const narrow = renderTable(report, { chalk: makeChalk(0), columns: 100 });
    const widths = narrow.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌')).map((l) => [...l].length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
  });

  it('ends with the summary line', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('DOWN · 4 services: 1 up, 1 degraded, 1 down, 1 unknown · 1.23s');
  });

  it('verbose output lists every probe of every service', () => {
    const verbose = renderVerbose(report, makeChalk(0));
    expect(verbose.match(/^ {2}(dns|tls|http) /gm)).toHaveLength(12);
  });
});

describe('renderJson', () => {
  it('round-trips hostile strings exactly', () => {
    const parsed = JSON.parse(renderJson(report));
    expect(parsed.services[3].name).toBe(hostile);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
