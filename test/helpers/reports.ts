/**
 * A report with every status, every probe kind, and hostile strings (quotes, <, &, newlines,
 * `]]>`, control characters, unicode) in every free-text field, for renderer tests.
 */
import { buildReport } from '../../src/report/report.js';
import type { ProbeResult, Report, ServiceResult } from '../../src/probes/result.js';
import type { FailOn, Status } from '../../src/core/status.js';

export const HOSTILE = `quote " apostrophe ' <tag> & ]]> pipe | back\\slash new\nline tab\tbell\u0007 ünïcødé 🚨 %0A`;

function probes(status: Status): ProbeResult[] {
  const down = status === 'down';
  return [
    { kind: 'dns', status: 'up', code: null, reason: 'A 127.0.0.1', durationMs: 3, attempts: 1, details: { records: [{ type: 'A', value: '127.0.0.1' }] } },
    { kind: 'tcp', status: 'up', code: null, reason: 'connected', durationMs: 2, attempts: 1, details: { address: '127.0.0.1:443' } },
    {
      kind: 'tls',
      status: status === 'degraded' ? 'degraded' : 'up',
      code: status === 'degraded' ? 'tls.expiring' : null,
      reason: 'TLSv1.3',
      durationMs: 4,
      attempts: 1,
      details: { daysLeft: status === 'degraded' ? 5.2 : 61.5, earliest: { validTo: '2027-01-20T00:00:00.000Z', subject: 'CN=x' } },
    },
    {
      kind: 'http',
      status: down ? 'down' : status === 'unknown' ? 'unknown' : 'up',
      code: down ? 'http.status' : status === 'unknown' ? 'interrupted' : null,
      reason: down ? `HTTP 503 ${HOSTILE}` : status === 'unknown' ? 'stopped before it finished' : 'HTTP 200',
      durationMs: 40,
      attempts: down ? 2 : 1,
      timings: { dns: 3, connect: 2, tls: 4, ttfb: 30, transfer: 1.5, total: 40.5 },
      details: { status: down ? 503 : 200 },
    },
  ];
}

export function service(name: string, status: Status, options: Partial<ServiceResult> = {}): ServiceResult {
  const list = probes(status);
  const cause = list.find((p) => p.status === status && status !== 'up');
  return {
    name,
    target: `https://svc.test/${encodeURIComponent(name)}`,
    status,
    code: cause?.code ?? null,
    reason: cause ? cause.reason : 'HTTP 200 in 40ms',
    critical: true,
    tags: ['web'],
    durationMs: 49.5,
    thresholds: { latencyDegradedMs: 2000, certificateDegradedDays: 14, certificateDownDays: 0 },
    probes: list,
    ...options,
  };
}

export function everyStatusReport(failOn: FailOn = 'degraded'): Report {
  return buildReport(
    [
      service('Up service', 'up'),
      service(`Slow ${HOSTILE}`, 'degraded', { tags: [] }),
      service('Facebook', 'down', { tags: ['social', 'vendor'] }),
      service('Interrupted', 'unknown'),
      service('Optional', 'down', { critical: false }),
    ],
    { startedAt: new Date('2026-11-20T10:00:00.000Z'), durationMs: 1234, failOn, interrupted: false },
  );
}

/**
 * What `--json` should parse back to: the value exactly, but with a lone surrogate as U+FFFD
 * (its `\ud800` escape is not I-JSON and jq 1.6 rejects the whole document: see safeJson).
 */
export function asJsonReads(value: unknown): unknown {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(lone, '\ufffd') : v)));
}
