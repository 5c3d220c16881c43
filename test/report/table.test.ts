import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/report/colors.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { renderVerbose } from '../../src/report/verbose.js';
import { everyStatusReport, HOSTILE } from '../helpers/reports.js';

const report = everyStatusReport();

describe('report', () => {
  it('counts every service, judges only critical ones, and maps the exit code', () => {
    expect(report.counts).toEqual({ up: 1, degraded: 1, down: 2, unknown: 1 });
    expect(report.status).toBe('unknown');
    expect(report.exitCode).toBe(3);
  });
});

describe('renderTable', () => {
  const text = renderTable(report, { chalk: makeChalk(0) });

  it('shows each service in order with its status, cells and reason', () => {
    const rows = text.split('\n').filter((l) => l.startsWith('│') && !l.includes('Service'));
    expect(rows.findIndex((l) => l.includes('Up service'))).toBeLessThan(rows.findIndex((l) => l.includes('Facebook')));
    expect(text).toMatch(/│ Facebook\s+│ ✖ down\s+│ 3ms │ 61d\s+│ 503 · 41ms\s+│ HTTP 503/);
    expect(text).toMatch(/▲ degraded │ 3ms │ 5d\s+│ 200 · 41ms/);
    expect(text).toContain('Optional (non-critical)');
    expect(text).toContain('ünïcødé 🚨');
  });

  it('fits a terminal of the given width, wrapping the reason', () => {
    const narrow = renderTable(report, { chalk: makeChalk(0), columns: 100 });
    // emoji take two columns in a terminal
    const width = (line: string) => [...line].reduce((n, c) => n + (/\p{Emoji_Presentation}/u.test(c) ? 2 : 1), 0);
    const widths = narrow.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌')).map(width);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
  });

  it('keeps every status and failure code at any width: with the probe columns left out, the code leads the reason', () => {
    for (const columns of [200, 120, 90, 70, 60, 50, 40, 30, 20, 12]) {
      const fitted = renderTable(report, { chalk: makeChalk(0), columns });
      // Joined back across wrapped lines and borders: what a reader sees, cell by cell.
      const seen = fitted.replace(/[│┌┬┐├┼┤└┴┘─\s]+/g, '');
      for (const status of ['up', 'degraded', 'down', 'unknown']) expect(seen, `${columns}: ${status}\n${fitted}`).toContain(status);
      // A table with its probe columns has them in its header, the second line; blocks have none.
      const probeColumns = /│ HTTP /.test(fitted.split('\n')[1] ?? '');
      if (!probeColumns) {
        for (const code of ['http.status503', 'tls.expiring', 'interrupted']) expect(seen, `${columns}\n${fitted}`).toContain(code);
      }
    }
    const sixty = renderTable(report, { chalk: makeChalk(0), columns: 60 });
    expect(sixty.split('\n')[1]).not.toMatch(/│ HTTP /);
    expect(sixty).toMatch(/│ http\.status 503: HTTP\s/);
    expect(sixty).toMatch(/│ HTTP 200 in 40ms/);
  });

  it('never passes control characters from remote text to the terminal', () => {
    const ESC = String.fromCharCode(27);
    const evil = everyStatusReport();
    evil.services[0]!.reason = `CN=${ESC}]0;pwned${String.fromCharCode(7)}${ESC}[2J`;
    const out = renderTable(evil, { chalk: makeChalk(0) }) + renderVerbose(evil, makeChalk(0));
    expect(out).not.toContain(ESC);
    expect(out).toContain('CN=\\x1b]0;pwned\\x07\\x1b[2J');
    expect(text).not.toContain(String.fromCharCode(7));
    expect(text).not.toContain('\t');
  });

  it('ends with the summary line, then what the failures share', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('UNKNOWN · 5 services: 1 up, 1 degraded, 2 down, 1 unknown · 1.23s');
    expect(lines.at(-1)).toBe('likely common cause: 2 of 3 failing services fail with http.status');
  });

  it('verbose output lists every probe of every service', () => {
    const verbose = renderVerbose(report, makeChalk(0));
    expect(verbose.match(/^ {2}(dns|tcp|tls|http) /gm)).toHaveLength(20);
  });

  it('verbose output heads each service with its name and target, the target once when it is the name', () => {
    const adHoc = everyStatusReport();
    const [named, typed] = adHoc.services;
    typed!.name = typed!.target; // `outage check https://…`: the URL typed is the name
    const heads = renderVerbose(adHoc, makeChalk(0))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith(' '));
    expect(heads[0]).toBe(`${named!.name} ${named!.target}`);
    expect(heads[1]).toBe(typed!.target);
  });
});

describe('renderJson', () => {
  it('round-trips hostile strings exactly', () => {
    const parsed = JSON.parse(renderJson(report));
    expect(parsed.services[1].name).toBe(`Slow ${HOSTILE}`);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
