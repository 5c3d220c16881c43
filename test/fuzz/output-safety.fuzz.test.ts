/**
 * Issue 12, class 8 (property): hostile text in every remote-text field of a report — reasons,
 * DNS answers, certificate subjects, redirect hops, vendor incidents, common causes — and every
 * output format, at every terminal width, keeps the output-safety invariants: no raw control or
 * format character, no logging command, no line starting with `::` but `--format github`'s own,
 * XML that validates, markdown rows that stay rows with nothing that renders as markup, and JSON
 * that still holds the exact text.
 */
import fc from 'fast-check';
import { Parser } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/report/colors.js';
import { CELL_TITLES } from '../../src/report/cells.js';
import { diagnosisLines } from '../../src/report/diagnosis.js';
import { FORMATS, type RenderOptions } from '../../src/report/formats.js';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import type { Report } from '../../src/probes/result.js';
import { junitSchemaErrors } from '../helpers/junit-xsd.js';
import { expectSafeOutput, hostileText, reportWith } from '../helpers/remote-text.js';
import { asJsonReads } from '../helpers/reports.js';

const runs = Number(process.env.FUZZ_RUNS ?? 150);
// The texts, not the report, are what fast-check shows of a counterexample: short enough to read.
const texts = fc.array(hostileText, { minLength: 1, maxLength: 40 });
const plain = makeChalk(0);

/** Every way the table is drawn: natural width, wrapped, in blocks, colored, quiet, verbose. */
const TABLES: [string, Partial<RenderOptions>][] = [
  ['table -v', { verbose: true }],
  ['table -q', { quiet: true }],
  ['table at 120 columns', { columns: 120, verbose: true }],
  ['table at 60 columns', { columns: 60 }],
  ['table in blocks (30 columns)', { columns: 30 }],
  ['table in blocks (12 columns)', { columns: 12 }],
];

function commandsOf(r: Report): number {
  return r.services.filter((s) => s.status !== 'up').length + diagnosisLines(r).length;
}

describe('output safety on any remote text (property)', () => {
  it('every format and every table keeps the invariants', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const r = reportWith(t);
        for (const format of FORMAT_NAMES) {
          expectSafeOutput(FORMATS[format](r, { chalk: plain }), format, { commands: format === 'github' ? commandsOf(r) : 0 });
        }
        for (const [name, options] of TABLES) expectSafeOutput(FORMATS.table(r, { chalk: plain, ...options }), name);
        expectSafeOutput(FORMATS.table(r, { chalk: makeChalk(3), columns: 40, verbose: true }), 'colored table', { colored: true });
      }),
      { numRuns: runs },
    );
  });

  it('JSON holds the exact text, encoded (a lone surrogate as U+FFFD)', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const r = reportWith(t);
        expect(JSON.parse(FORMATS.json(r, { chalk: plain }))).toEqual(asJsonReads(r));
      }),
      { numRuns: runs },
    );
  });

  it('JUnit validates, one test case per service', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const r = reportWith(t);
        const xml = FORMATS.junit(r, { chalk: plain });
        expect(junitSchemaErrors(xml)).toEqual([]);
        expect(xml.match(/<testcase /g)).toHaveLength(r.services.length);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  it('markdown: one row per service, every cell in place, nothing that renders as markup', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const r = reportWith(t);
        const lines = FORMATS.markdown(r, { chalk: plain }).split('\n');
        const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Service') && !l.startsWith('| ---'));
        expect(rows).toHaveLength(r.services.length);
        const quotes = lines.filter((l) => l.startsWith('> ')).map((l) => l.replace(/^> (\*\*[a-z ]+:\*\*|⚠️) /, ''));
        for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2, row).toBe(CELL_TITLES.length + 3);
        for (const text of [...rows, ...quotes]) {
          // Escaped characters and outage's own emphasis aside, nothing may start markup.
          const bare = text.replace(/\\./g, '').replace(/ _\(non-critical\)_/, '');
          expect(bare, text).not.toMatch(/[<>`*_~[\]]|&(?!amp;|lt;|gt;|#8203;)/);
          // Nor mention anyone or reference an issue: `@` or `#` is never followed by a name or number.
          expect(text.replace(/&#8203;/g, '\u200b'), text).not.toMatch(/[@#][\p{L}\p{N}_-]|GH-\d|:\/\/|www\./iu);
        }
      }),
      { numRuns: runs },
    );
  });

  it('TAP reads back with one test point per service; nagios is one line; prometheus samples parse', async () => {
    await fc.assert(
      fc.asyncProperty(texts, async (t) => {
        const r = reportWith(t);
        const parser = new Parser();
        const done = new Promise<{ count: number }>((resolve) => parser.on('complete', resolve));
        parser.end(FORMATS.tap(r, { chalk: plain }));
        expect((await done).count).toBe(r.services.length);
        expect(FORMATS.nagios(r, { chalk: plain }).split('\n')).toHaveLength(2);
        const samples = FORMATS.prometheus(r, { chalk: plain }).trimEnd().split('\n').filter((l) => !l.startsWith('# '));
        for (const line of samples) expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="(?:[^"\\\n]|\\[\\"n])*"(,[a-z_]+="(?:[^"\\\n]|\\[\\"n])*")*\})? (NaN|-?[\d.e+-]+)$/);
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
  });
});
