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
import { safeReport } from './safe-report.js';

interface Family {
  name: string;
  help: string;
  samples: { labels: Record<string, string>; value: number }[];
}

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
  const families: Family[] = [];
  const family = (name: string, help: string): Family['samples'] => {
    const f: Family = { name, help, samples: [] };
    families.push(f);
    return f.samples;
  };
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
    // `critical` tells a non-critical service's probe_success 0 from one that fails the check.
    const labels = { service: service.name, critical: String(service.critical), ...fileLabels };
    success.push({ labels, value: service.status === 'up' || service.status === 'degraded' ? 1 : 0 });
    duration.push({ labels, value: service.durationMs / 1000 });
    for (const s of STATUSES) status.push({ labels: { ...labels, status: s }, value: service.status === s ? 1 : 0 });
    statusCode.push({ labels: { ...labels, status: service.status, code: service.code ?? '' }, value: 1 });
    for (const probe of service.probes) {
      if (probe.status === 'skipped') continue;
      const probeLabels = { ...labels, kind: probe.kind };
      probeSuccess.push({ labels: probeLabels, value: probe.status === 'up' || probe.status === 'degraded' ? 1 : 0 });
      probeDuration.push({ labels: probeLabels, value: probe.durationMs / 1000 });
      const facts = factsOf(probe);
      if (facts.lookupMs !== undefined) dnsTime.push({ labels, value: facts.lookupMs / 1000 });
      if (facts.httpStatus !== undefined) httpStatus.push({ labels, value: facts.httpStatus });
      for (const [phase, key] of PHASES) {
        const ms = facts.phases?.[key];
        if (typeof ms === 'number') httpPhases.push({ labels: { ...labels, phase }, value: ms / 1000 });
      }
      if (facts.certificateExpiresAt) certExpiry.push({ labels, value: Date.parse(facts.certificateExpiresAt) / 1000 });
    }
  }
  checked.push({ labels: fileLabels, value: Date.parse(report.startedAt) / 1000 });

  return families
    .filter((f) => f.samples.length > 0)
    .map((f) => [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`, ...f.samples.map((s) => `${f.name}${labelSet(s.labels)} ${formatValue(s.value)}`)].join('\n'))
    .join('\n')
    .concat('\n');
}

function labelSet(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : 'NaN';
}
