/**
 * Config names are unique, but two can become one once made safe (a line break and a space, a
 * control character and its visible escape) or redacted (two URLs that differ only in their
 * password). Every format must still tell them apart: in a Prometheus textfile two services with
 * one `service` label are one series twice, which node_exporter and Prometheus reject or drop.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/core/redact.js';
import { FORMATS, type RenderOptions } from '../../src/report/formats.js';
import { makeChalk } from '../../src/report/colors.js';
import { buildReport } from '../../src/report/report.js';
import { renderJson } from '../../src/report/json.js';
import { safeReport } from '../../src/report/safe-report.js';
import { seriesOf } from '../helpers/prometheus.js';
import { service } from '../helpers/reports.js';

const meta = { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 10, failOn: 'degraded' as const, interrupted: false };

/** Three configured names that are one once made one safe line, then one already spelled as the suffix would be. */
const lookAlikes = () => buildReport([service('a\nb', 'down'), service('a b', 'up'), service('a\tb', 'up'), service('a b (2)', 'up')], meta);

/** Two ad-hoc targets that differ only in their password: one name once redacted. */
const credentialed = () =>
  buildReport([service('http://u:first-secret@127.0.0.1:1/', 'down'), service('http://u:second-secret@127.0.0.1:1/', 'up')], meta);
const redact = createRedactor(['first-secret', 'second-secret']);

describe('names that are one once made safe or redacted', () => {
  it('stay distinct in the safe report every human and CI format renders, in config order', () => {
    const names = safeReport(lookAlikes()).services.map((s) => s.name);
    expect(new Set(names).size).toBe(4);
    expect(names[0]).toBe('a b');
    expect(names[3]).toBe('a b (2)');
    const redacted = safeReport(credentialed(), redact).services.map((s) => s.name);
    expect(redacted).toEqual(['http://u:***@127.0.0.1:1/', 'http://u:***@127.0.0.1:1/ (2)']);
  });

  it('give every Prometheus series once', () => {
    for (const [report, redactor] of [[lookAlikes(), undefined], [credentialed(), redact]] as const) {
      const options: RenderOptions = { chalk: makeChalk(0), redact: redactor };
      const series = seriesOf(FORMATS.prometheus(report, options));
      expect(series.length).toBeGreaterThan(10);
      expect(series.filter((s, i) => series.indexOf(s) !== i)).toEqual([]);
    }
  });

  it('are told apart in JSON too, where only redaction can join them', () => {
    const names = JSON.parse(renderJson(credentialed(), redact)).services.map((s: { name: string }) => s.name);
    expect(names).toEqual(['http://u:***@127.0.0.1:1/', 'http://u:***@127.0.0.1:1/ (2)']);
    // Without secrets JSON keeps every name exactly as configured.
    expect(JSON.parse(renderJson(lookAlikes())).services.map((s: { name: string }) => s.name)).toEqual(['a\nb', 'a b', 'a\tb', 'a b (2)']);
  });
});
