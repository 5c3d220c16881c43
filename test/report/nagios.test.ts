import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/report.js';
import { renderNagios } from '../../src/report/nagios.js';
import { unknownOutput } from '../../src/report/nagios-line.js';
import type { ServiceResult } from '../../src/probes/result.js';
import { service } from '../helpers/reports.js';

const PERF_ITEM = /^[a-z0-9_]+=[\d.]+s?(;[\d.:]*){0,4}$/;

/** What Nagios reads: the status word, the text, and perfdata items after the first `|`. */
function parsePlugin(output: string): { word: string; text: string; perf: string[] } {
  expect(output.endsWith('\n')).toBe(true);
  expect(output.slice(0, -1)).not.toContain('\n');
  const match = /^OUTAGE (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*?)(?: \| (.*))?\n$/.exec(output);
  if (!match) throw new Error(`not a plugin line: ${output}`);
  const perf = match[3] ? match[3].split(' ') : [];
  for (const item of perf) expect(item).toMatch(PERF_ITEM);
  return { word: match[1] as string, text: match[2] as string, perf };
}

function report(services: ServiceResult[]) {
  return buildReport(services, { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 500, failOn: 'degraded', interrupted: false });
}

function manyDown(count: number, reason: string, name = (i: number) => `api-${i}`): ServiceResult[] {
  return Array.from({ length: count }, (_, i) => service(name(i), 'down', { reason, code: 'http.status' }));
}

describe('nagios status line', () => {
  it('puts the summary first, then each failing service with its code and reason', () => {
    const out = renderNagios(report([service('web', 'up'), ...manyDown(2, 'HTTP 503 (expected 200-399)'), service('cdn', 'degraded')]));
    const { word, text } = parsePlugin(out);
    expect(word).toBe('CRITICAL');
    expect(text).toBe('2 of 4 down, 1 degraded: api-0 (http.status: HTTP 503 (expected 200-399)), api-1 (http.status: HTTP 503 (expected 200-399)); degraded: cdn (tls.expiring: TLSv1.3)');
  });

  it('stays within NRPE’s 1024 bytes: reasons shortened first, then the perfdata tail dropped whole', () => {
    const out = renderNagios(report(manyDown(6, `HTTP 503 ${'upstream said no; '.repeat(20)}`)));
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
    const { word, text, perf } = parsePlugin(out);
    expect(word).toBe('CRITICAL');
    expect(text.startsWith('6 of 6 down: api-0 (http.status: HTTP 503 upstream said no;')).toBe(true);
    // Every service is still named, each reason cut at a word with an ellipsis.
    for (let i = 0; i < 6; i++) expect(text).toMatch(new RegExp(`api-${i} \\(http\\.status: HTTP 503 [^)]*…\\)`));
    expect(perf[0]).toBe('api_0_total=0.041s;2;;0');
  });

  it('names as many services as fit and counts the rest when names alone are too long', () => {
    const out = renderNagios(report(manyDown(60, 'HTTP 503', (i) => `service-with-a-rather-long-name-number-${i}`)));
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
    const { text } = parsePlugin(out);
    expect(text).toMatch(/^60 of 60 down: service-with-a-rather-long-name-number-0 \(http\.status\), /);
    expect(text).toMatch(/, … \d+ more$/);
    // Names are whole or absent, never cut into stubs that all look alike.
    expect(text.replace(/, … \d+ more$/, '')).not.toContain('…');
  });

  it('names the services that decide the status word before non-critical ones of the same status', () => {
    // Optional services first in the config: with names alone too long, they took every place
    // and the one service that made the check CRITICAL was only counted among "… N more".
    const optional = manyDown(30, 'HTTP 503', (i) => `optional-integration-${i}`).map((s) => ({ ...s, critical: false }));
    const out = renderNagios(report([...optional, service('payments', 'down', { reason: 'HTTP 503', code: 'http.status' })]));
    const { word, text } = parsePlugin(out);
    expect(word).toBe('CRITICAL');
    expect(text).toMatch(/^31 of 31 down: payments \(http\.status\), optional-integration-0 \(http\.status\) \[non-critical\], /);
    expect(text).toMatch(/, … \d+ more$/);
  });

  it('names the most services that fit: one more would not', () => {
    for (const count of [30, 37, 3000]) {
      const name = (i: number) => `service-with-a-rather-long-name-number-${i}`;
      const out = renderNagios(report(manyDown(count, 'HTTP 503', name)));
      expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
      const { text } = parsePlugin(out);
      const more = Number(/, … (\d+) more$/.exec(text)?.[1]);
      const shown = count - more;
      expect(shown).toBeGreaterThan(0);
      expect(text).toContain(`${name(shown - 1)} (http.status), …`);
      // This many services' perfdata is longer than the line, so the text may use its share:
      // 768 bytes, less "OUTAGE CRITICAL - ". One more service would not fit in it.
      const oneMore = text.replace(/, … \d+ more$/, `, ${name(shown)} (http.status), … ${more - 1} more`);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(768 - 18);
      expect(Buffer.byteLength(oneMore)).toBeGreaterThan(768 - 18);
    }
  });

  it('gives services with the same name distinct perfdata labels, also beside a name that looks numbered', () => {
    const services = [...manyDown(3, 'HTTP 503', () => 'api'), service('api 2', 'up'), service('api', 'up')];
    const { perf } = parsePlugin(renderNagios(report(services)));
    expect(perf.filter((p) => p.includes('_total=')).map((p) => p.split('=')[0])).toEqual(['api_total', 'api_2_total', 'api_3_total', 'api_2_2_total', 'api_4_total']);
  });

  it('graphs no time for a service the run was interrupted before judging: it was not measured', () => {
    // `timeout 50s outage check --format nagios` cut short: the time until the signal is no latency
    // of the service, and above the warning threshold it would draw a spike that never happened.
    const cut = service('slow', 'unknown', { code: 'interrupted', reason: 'stopped before it finished', durationMs: 48_000 });
    const { word, perf } = parsePlugin(renderNagios(report([service('api', 'up'), cut])));
    expect(word).toBe('UNKNOWN');
    expect(perf.map((p) => p.split('=')[0])).toEqual(['api_total', 'api_cert_days']);
  });

  it('never splits a multi-byte character when cutting', () => {
    const out = renderNagios(report(manyDown(40, '🚨'.repeat(100), (i) => `ünïcødé-${i}-${'é'.repeat(50)}`)));
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
    expect(out).not.toContain('\ufffd');
    parsePlugin(out);
  });
});

describe('nagios output of any report', () => {
  it('is one parseable line within 1024 bytes, valid UTF-8, whatever the names and reasons', () => {
    const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('a | b', '🚨'.repeat(90), 'x'.repeat(1500)));
    const anyService = fc
      .record({ name: anyText, reason: anyText, status: fc.constantFrom('up', 'degraded', 'down', 'unknown' as const), critical: fc.boolean() })
      .map(({ name, status, ...rest }) => service(name, status, rest));
    fc.assert(
      fc.property(fc.array(anyService, { maxLength: 80 }), (services) => {
        const out = renderNagios(report(services));
        expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024);
        expect(out).not.toMatch(/[\ud800-\udfff]/u);
        const { text } = parsePlugin(out);
        // The summary survives every cut.
        if (services.every((s) => s.status === 'up')) expect(text).toBe(`all ${services.length} up`);
        else expect(text).toMatch(new RegExp(`^\\d+ of ${services.length} (unknown|down|degraded)(, \\d+ (unknown|down|degraded))*(: |$)`));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  });
});

describe('nagios errors', () => {
  it('turns a multi-line config error into one UNKNOWN line, problems separated', () => {
    const out = unknownOutput('Invalid configuration in /x.yaml (2 problems):\n  services[0].url: expected a URL | not this\n  services[1].name: is required');
    expect(out).toBe('OUTAGE UNKNOWN - Invalid configuration in /x.yaml (2 problems): services[0].url: expected a URL / not this; services[1].name: is required\n');
  });

  it('cuts a huge error message to 1024 bytes', () => {
    const out = unknownOutput(`bad ${'x'.repeat(5000)}`);
    expect(Buffer.byteLength(out)).toBe(1024);
    expect(parsePlugin(out).word).toBe('UNKNOWN');
  });
});
