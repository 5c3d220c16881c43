/**
 * For any secret — spaces, quotes, `%`, `<`, newlines, unicode, half an emoji — no spelling of it
 * (test/helpers/secret-forms.ts: as given, trimmed, percent- and form-encoded, base64 of it and of
 * `user:secret`, JSON- and XML-escaped) appears in any format, when the report holds it in every
 * free-text field, the way the CLI redacts: the report first, then the rendered text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../../src/core/redact.js';
import { makeChalk } from '../../src/report/colors.js';
import { FORMATS } from '../../src/report/formats.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import type { ProbeResult } from '../../src/probes/result.js';
import { secretForms } from '../helpers/secret-forms.js';
import { service } from '../helpers/reports.js';

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 }),
  fc.constantFrom(' ', '"', "'", '%', '%zz', '%41', '<', '&', '+', '/', '\\', '\n', '\t', '#', '?', '@', ':', 'é', '🚨', '_', '*', '|', '`'),
);
/** Secrets of at least 8 characters around at least 4 letters or digits: what real credentials look like. */
const secret = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{4,8}$/), fc.array(piece, { maxLength: 6 }), fc.array(piece, { maxLength: 3 }))
  .map(([core, middle, start]) => `${start.join('')}${core.slice(0, 2)}${middle.join('')}${core.slice(2)}`)
  .filter((s) => s.trim().length >= 8 && !s.includes('***'));
const user = fc.stringMatching(/^[a-z]{0,7}$/);

function leakyReport(value: string, name: string) {
  const url = new URL('http://svc.test/');
  url.username = name || 'u';
  url.password = value;
  url.pathname = `/p/${value}`;
  url.search = new URLSearchParams({ key: value }).toString();
  const basic = Buffer.from(`${name}:${value}`).toString('base64');
  const leaked = `${value} · ${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))} · Basic ${basic} · ${url.href}`;
  const http: ProbeResult = {
    kind: 'http',
    status: 'down',
    code: 'http.status',
    reason: `HTTP 401 ${leaked}`,
    durationMs: 3,
    attempts: 1,
    details: { status: 401, url: url.href },
  };
  const down = service('api', 'down', { name: `api ${value}`, target: url.href, reason: leaked, code: 'http.status' });
  return buildReport([{ ...down, probes: [...down.probes.filter((p) => p.kind !== 'http'), http] }, service('other', 'up')], {
    startedAt: new Date(0),
    durationMs: 5,
    failOn: 'degraded',
    interrupted: false,
  });
}

describe('secrets in any output (property)', () => {
  it('no spelling of a secret survives any renderer', () => {
    fc.assert(
      fc.property(secret, user, (value, name) => {
        // The redactor knows only the secret itself, as it knows a ${VAR}'s value.
        const redact = createRedactor([value]);
        const report = redactDeep(leakyReport(value, name), redact);
        const forms = secretForms(value, { user: name });
        for (const [format, render] of Object.entries(FORMATS)) {
          for (const options of [{ chalk: makeChalk(0), verbose: true }, { chalk: makeChalk(0), quiet: true }]) {
            const out = redact(render(report, options));
            for (const form of forms) expect(out, `${format} shows ${JSON.stringify(form)}`).not.toContain(form);
          }
        }
        const summary = redact(renderMarkdown(report, {}));
        for (const form of forms) expect(summary).not.toContain(form);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
    );
  }, 600_000);
});
