/**
 * Prometheus text exposition for node_exporter's textfile collector. Metric names follow
 * blackbox_exporter where they mean the same thing, so existing dashboards and alerts carry over;
 * every service sample carries `service` and `critical` labels, per-probe samples `kind` too.
 * Written to a file, every sample also carries `outage_report` (the file's name): node_exporter
 * merges all *.prom files of its directory, and two outage files with the same series would
 * collide, one silently dropped.
 */
import { basename } from 'node:path';
import { STATUSES } from '../core/status.js';
import { factsOf } from '../probes/registry.js';
import type { Report } from '../probes/result.js';
import { Exposition } from './exposition.js';
import { safeReport } from './safe-report.js';

/** blackbox_exporter's phase names for probe_http_duration_seconds. */
export const PHASES = [
  ['resolve', 'dns'],
  ['connect', 'connect'],
  ['tls', 'tls'],
  ['processing', 'ttfb'],
  ['transfer', 'transfer'],
] as const;

export interface PrometheusOptions {
  /** The file being written (`--report prometheus=PATH`); its name becomes `outage_report`. */
  reportFile?: string;
}

export function renderPrometheus(unsafe: Report, options: PrometheusOptions = {}): string {
  const report = safeReport(unsafe);
  const fileLabels: Record<string, string> = options.reportFile ? { outage_report: basename(options.reportFile) } : {};
  const out = new Exposition();
  const family = (name: string, help: string) => out.family(name, 'gauge', help);
  const success = family('probe_success', 'Whether the service is up or degraded (1) rather than down or unknown (0).');
  const duration = family('probe_duration_seconds', 'How long checking the service took, retries included.');
  const probeSuccess = family('outage_probe_success', 'Whether one probe of the service succeeded (1) or not (0); skipped probes are absent.');
  const probeDuration = family('outage_probe_duration_seconds', 'How long one probe of the service took (last attempt).');
  const status = family('outage_service_status', 'The service status: 1 for the current one, 0 for the others.');
  // As `outage serve` writes it: the failure code as a label, so one alert rule serves both.
  const statusCode = family('outage_probe_status', "The service's status and failure code ('' when up) as labels; always 1.");
  const httpStatus = family('probe_http_status_code', 'HTTP status of the final response.');
  const httpPhases = family('probe_http_duration_seconds', 'Duration of each phase of the HTTP request.');
  const certExpiry = family('probe_ssl_earliest_cert_expiry', 'Expiry of the earliest-expiring certificate of the verified chain, in Unix seconds.');
  const dnsTime = family('probe_dns_lookup_time_seconds', 'How long the DNS lookup took.');
  const checked = family('outage_last_check_timestamp_seconds', 'When this check started, in Unix seconds.');

  for (const service of report.services) {
    // Cut short by a signal, a service was not measured: no samples rather than a probe_success 0
    // that alerts on a healthy service (outage serve answers such a probe 503, for the same reason).
    if (service.code === 'interrupted') continue;
    // `critical` tells a non-critical service's probe_success 0 from one that fails the check.
    const labels = { service: service.name, critical: String(service.critical), ...fileLabels };
    success(service.status === 'up' || service.status === 'degraded' ? 1 : 0, labels);
    duration(service.durationMs / 1000, labels);
    for (const s of STATUSES) status(service.status === s ? 1 : 0, { ...labels, status: s });
    statusCode(1, { ...labels, status: service.status, code: service.code ?? '' });
    for (const probe of service.probes) {
      if (probe.status === 'skipped') continue;
      const probeLabels = { ...labels, kind: probe.kind };
      probeSuccess(probe.status === 'up' || probe.status === 'degraded' ? 1 : 0, probeLabels);
      probeDuration(probe.durationMs / 1000, probeLabels);
      const facts = factsOf(probe);
      if (facts.lookupMs !== undefined) dnsTime(facts.lookupMs / 1000, labels);
      if (facts.httpStatus !== undefined) httpStatus(facts.httpStatus, labels);
      for (const [phase, key] of PHASES) {
        const ms = facts.phases?.[key];
        if (typeof ms === 'number') httpPhases(ms / 1000, { ...labels, phase });
      }
      if (facts.certificateExpiresAt) certExpiry(Date.parse(facts.certificateExpiresAt) / 1000, labels);
    }
  }
  checked(Date.parse(report.startedAt) / 1000, fileLabels);

  return out.text();
}
