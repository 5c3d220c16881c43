import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { seriesOf } from '../helpers/prometheus.js';
import { everyStatusReport } from '../helpers/reports.js';
import { requires } from '../helpers/requires.js';

describe('prometheus labels', () => {
  it('tells a non-critical service from a critical one with critical="true"/"false"', () => {
    const text = renderPrometheus(everyStatusReport());
    expect(text).toContain('probe_success{service="Facebook",critical="true"} 0');
    expect(text).toContain('probe_success{service="Optional",critical="false"} 0');
    expect(text).toContain('outage_probe_success{service="Optional",critical="false",kind="http"} 0');
    // Every per-service sample says it, so any alert can filter on it.
    for (const series of seriesOf(text).filter((s) => s.includes('service='))) expect(series).toMatch(/,critical="(true|false)"/);
  });

  it('labels every sample, the timestamp too, with the report file name when writing a file', () => {
    const text = renderPrometheus(everyStatusReport(), { reportFile: '/var/lib/node_exporter/textfile/outage-internal.prom' });
    const series = seriesOf(text);
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) expect(s).toContain('outage_report="outage-internal.prom"');
    expect(text).toContain('outage_last_check_timestamp_seconds{outage_report="outage-internal.prom"} ');
    // On stdout there is no file name to give.
    expect(renderPrometheus(everyStatusReport())).not.toContain('outage_report');
  });

  it('carries the failure code as a label, as outage serve does, so one alert rule serves both', () => {
    const text = renderPrometheus(everyStatusReport());
    expect(text).toMatch(/^outage_probe_status\{service="Facebook",critical="true",status="down",code="[a-z]+\.[a-z_]+"\} 1$/m);
    expect(text).toMatch(/^outage_probe_status\{service="[^"]+",critical="true",status="up",code=""\} 1$/m);
  });

  it('leaves out a service the run was interrupted before judging: no probe_success 0 for what was not measured', () => {
    // A cron job stopped by `timeout` or a shutdown writes its textfile with what finished; a
    // healthy service cut short must not read as down (outage serve answers 503 for the same).
    const text = renderPrometheus(everyStatusReport(), { reportFile: 'outage.prom' });
    expect(text).not.toContain('service="Interrupted"');
    expect(text).toContain('probe_success{service="Facebook",critical="true",outage_report="outage.prom"} 0');
    expect(text).toMatch(/^outage_last_check_timestamp_seconds\{outage_report="outage.prom"\} /m);
  });

  requires({ tools: ['promtool'] }).it('passes promtool check metrics with the new labels', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: renderPrometheus(everyStatusReport(), { reportFile: 'a "quoted" name.prom' }), encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
