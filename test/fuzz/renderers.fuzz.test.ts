/**
 * Every renderer accepts any report object, and what must parse always parses: JSON round-trips,
 * JUnit validates against the XSD, TAP reads back with one point per service, line formats stay
 * on their lines, and nothing reaches a terminal as a control character.
 */
import fc from 'fast-check';
import { Parser } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/report/colors.js';
import { diagnosisLines } from '../../src/report/diagnosis.js';
import { FORMATS } from '../../src/report/formats.js';
import { buildReport } from '../../src/report/report.js';
import type { ProbeResult, Report, ServiceResult } from '../../src/probes/result.js';
import { FAILURE_CODES } from '../../src/core/failure.js';
import { junitSchemaErrors } from '../helpers/junit-xsd.js';
import { asJsonReads } from '../helpers/reports.js';

const options = { chalk: makeChalk(0), verbose: true };

/** Any UTF-16: control characters, lone surrogates, emoji, markup. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom('', '<x>&"\'', ']]>', '::error::x', '%0A\n\r', '| # \\', 'line\u2028para\u2029nel\u0085', 'half \udfb8 emoji'),
);
const status = fc.constantFrom('up', 'degraded', 'down', 'unknown' as const);
const judged = {
  status: fc.constantFrom('up', 'degraded', 'down', 'unknown', 'skipped' as const),
  code: fc.option(fc.constantFrom(...FAILURE_CODES), { nil: null }),
  reason: text,
  durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
  attempts: fc.integer({ min: 0, max: 5 }),
};
const ms = fc.double({ min: 0, max: 1e6, noNaN: true });
const probe: fc.Arbitrary<ProbeResult> = fc.oneof(
  fc.record({ kind: fc.constant('dns' as const), ...judged, details: fc.record({ name: text, cnameChain: fc.array(text, { maxLength: 2 }) }, { requiredKeys: [] }) }),
  fc.record({ kind: fc.constant('tcp' as const), ...judged, details: fc.record({ address: text, port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: [] }) }),
  fc.record({ kind: fc.constant('tls' as const), ...judged, details: fc.record({ daysLeft: fc.double({ min: -100, max: 1000, noNaN: true }), protocol: text }, { requiredKeys: [] }) }),
  fc.record({
    kind: fc.constant('http' as const),
    ...judged,
    timings: fc.option(fc.record({ total: ms, ttfb: ms }), { nil: undefined }),
    details: fc.record({ status: fc.integer({ min: 100, max: 599 }), url: text, contentType: text }, { requiredKeys: [] }),
  }),
);
const service: fc.Arbitrary<ServiceResult> = fc.record({
  name: text,
  target: text,
  status,
  code: fc.option(fc.constantFrom(...FAILURE_CODES), { nil: null }),
  reason: text,
  critical: fc.boolean(),
  tags: fc.array(text, { maxLength: 2 }),
  durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
  thresholds: fc.record({ latencyDegradedMs: fc.integer({ min: 1, max: 60_000 }), certificateDegradedDays: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }) }),
  probes: fc.array(probe, { maxLength: 4 }),
});
const report: fc.Arbitrary<Report> = fc
  .tuple(fc.array(service, { maxLength: 6 }), fc.constantFrom('degraded', 'down', 'never' as const), fc.boolean())
  .map(([services, failOn, interrupted]) => buildReport(services, { startedAt: new Date(0), durationMs: 12, failOn, interrupted }));

describe('renderers on any report (property)', () => {
  it('never throw, and JSON round-trips', () => {
    fc.assert(
      fc.property(report, (r) => {
        for (const render of Object.values(FORMATS)) expect(typeof render(r, options)).toBe('string');
        expect(JSON.parse(FORMATS.json(r, options))).toEqual(asJsonReads(r));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });

  it('JUnit always validates against the XSD', () => {
    // fc.assert (not fc.sample): a failure reports the shrunk counterexample and its seed.
    fc.assert(
      fc.property(report, (r) => {
        expect(junitSchemaErrors(FORMATS.junit(r, options))).toEqual([]);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });

  it('TAP always reads back with one test point per service', async () => {
    // fc.assert (not fc.sample): a failure reports the shrunk counterexample and its seed.
    await fc.assert(
      fc.asyncProperty(report, async (r) => {
        const parser = new Parser();
        const done = new Promise<{ count: number; plan: { end: number } }>((resolve) => parser.on('complete', resolve));
        parser.end(FORMATS.tap(r, options));
        const final = await done;
        expect(final.count).toBe(r.services.length);
        expect(final.plan.end).toBe(r.services.length);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
  });

  it('line formats keep their lines, and terminal output holds no control characters', () => {
    fc.assert(
      fc.property(report, (r) => {
        const nagios = FORMATS.nagios(r, options);
        expect(nagios.split('\n')).toHaveLength(2);
        const github = FORMATS.github(r, options).trimEnd().split('\n');
        // An annotation per service not up, a notice per likely common cause, then the summary.
        expect(github).toHaveLength(r.services.filter((s) => s.status !== 'up').length + diagnosisLines(r).length + 1);
        for (const line of github.slice(0, -1)) expect(line).toMatch(/^::(error|warning|notice) title=[^\n]*::/);
        const markdownRows = FORMATS.markdown(r, options).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Service') && !l.startsWith('| ---'));
        expect(markdownRows).toHaveLength(r.services.length);
        // eslint-disable-next-line no-control-regex
        expect(FORMATS.table(r, options)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});
