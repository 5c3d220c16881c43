/**
 * One /probe answer: the report of one service as blackbox_exporter's metric names where they
 * mean the same thing (so its dashboards and alerts carry over), plus outage's own — the status
 * and the failure code as labels, so an alert can say why.
 */
import { STATUSES } from '../core/status.js';
import { factsOf } from '../probes/registry.js';
import { probeOf, type Report, type ServiceResult } from '../probes/result.js';
import { PHASES } from '../report/prometheus.js';
import { Exposition } from '../report/exposition.js';


export function renderProbe(report: Report): string {
  const out = new Exposition();
  const service = report.services[0];
  const success = out.family('probe_success', 'gauge', 'Whether the probe succeeded: the target is up or degraded (1), down or unknown (0).');
  const duration = out.family('probe_duration_seconds', 'gauge', 'How long the probe took to complete in seconds, retries included.');
  if (!service) {
    success(0);
    duration(report.durationMs / 1000);
    return out.text();
  }
  success(service.status === 'up' || service.status === 'degraded' ? 1 : 0);
  duration(service.durationMs / 1000);
  blackboxMetrics(out, service);
  outageMetrics(out, service);
  return out.text();
}

function blackboxMetrics(out: Exposition, service: ServiceResult): void {
  const dnsTime = out.family('probe_dns_lookup_time_seconds', 'gauge', 'Returns the time taken for probe dns lookup in seconds.');
  const ipProtocol = out.family('probe_ip_protocol', 'gauge', 'Specifies whether probe ip protocol is IP4 or IP6.');
  const httpStatus = out.family('probe_http_status_code', 'gauge', 'Response HTTP status code (0 when no response arrived).');
  const httpPhases = out.family('probe_http_duration_seconds', 'gauge', 'Duration of http request by phase, summed over all redirects.');
  const httpVersion = out.family('probe_http_version', 'gauge', 'Returns the version of HTTP of the probe response (1.0, 1.1, 2).');
  const httpRedirects = out.family('probe_http_redirects', 'gauge', 'The number of redirects.');
  const httpSsl = out.family('probe_http_ssl', 'gauge', 'Indicates if SSL was used for the final redirect.');
  const bodyLength = out.family('probe_http_uncompressed_body_length', 'gauge', 'Length of uncompressed response body (as far as it was read, at most 1 MiB).');
  const earliest = out.family('probe_ssl_earliest_cert_expiry', 'gauge', 'Returns last SSL chain expiry in unixtime: the earliest expiry among the certificates the server presented.');
  const lastChain = out.family('probe_ssl_last_chain_expiry_timestamp_seconds', 'gauge', 'Returns last SSL chain expiry in timestamp seconds: the earliest expiry of the verified chain.');
  const tlsVersion = out.family('probe_tls_version_info', 'gauge', 'Returns the TLS version used or NaN when unknown.');

  for (const probe of service.probes) {
    if (probe.status === 'skipped') continue;
    const facts = factsOf(probe);
    if (facts.lookupMs !== undefined) dnsTime(facts.lookupMs / 1000);
    if (facts.connectedAddress) ipProtocol(facts.connectedAddress.startsWith('[') ? 6 : 4);
  }
  const http = probeOf(service, 'http');
  if (http && http.status !== 'skipped') {
    httpStatus(http.details.status ?? 0);
    for (const [phase, key] of PHASES) {
      const ms = http.timings?.[key];
      httpPhases(typeof ms === 'number' ? ms / 1000 : 0, { phase });
    }
    if (http.details.httpVersion !== undefined) httpVersion(http.details.httpVersion / 10);
    const hops = http.details.hops ?? [];
    httpRedirects(Math.max(0, hops.length - 1));
    const finalUrl = hops.at(-1)?.url ?? http.details.url;
    if (finalUrl) httpSsl(finalUrl.startsWith('https:') ? 1 : 0);
    if (http.details.bodyBytes !== undefined) bodyLength(http.details.bodyBytes);
  }
  const tls = probeOf(service, 'tls');
  if (tls && tls.status !== 'skipped') {
    const presented = tls.details.presented ?? tls.details.chain ?? [];
    const expiries = presented.map((c) => Date.parse(c.validTo) / 1000).filter(Number.isFinite);
    if (expiries.length > 0) earliest(Math.min(...expiries));
    // Only a chain that verified has a meaningful "last chain" (blackbox: VerifiedChains).
    const verified = tls.details.authorized ? tls.details.earliest?.validTo : undefined;
    if (verified) lastChain(Date.parse(verified) / 1000);
    const version = tlsVersionName(tls.details.protocol);
    if (version) tlsVersion(1, { version });
  }
}

/** Node's `TLSv1.3` as blackbox writes it: `TLS 1.3`. */
function tlsVersionName(protocol: string | undefined): string | undefined {
  const match = protocol ? /^TLSv(\d(?:\.\d)?)$/.exec(protocol) : null;
  return match ? `TLS ${match[1]}` : protocol || undefined;
}

function outageMetrics(out: Exposition, service: ServiceResult): void {
  const status = out.family('outage_probe_status', 'gauge', "outage's verdict: 1 for the target's status (up, degraded, down, unknown), with the failure code ('' when up).");
  const statusValue = out.family('outage_probe_status_value', 'gauge', 'The status as a number for thresholds and graphs: 0 up, 1 degraded, 2 down, 3 unknown.');
  const kindSuccess = out.family('outage_probe_success', 'gauge', 'Whether one probe kind of the check (dns, tcp, tls, http, …) succeeded (1) or not (0); skipped probes are absent.');
  const kindDuration = out.family('outage_probe_duration_seconds', 'gauge', 'How long one probe kind of the check took (last attempt).');
  const attempts = out.family('outage_probe_attempts', 'gauge', 'Attempts the check made (1 + retries used).');
  const vendor = out.family('outage_vendor_status', 'gauge', "The vendor's own status page: 1 for its indicator (none, minor, major, critical, maintenance, unknown).");

  status(1, { status: service.status, code: service.code ?? '' });
  statusValue(STATUSES.indexOf(service.status));
  let attemptsMade = 0;
  for (const probe of service.probes) {
    if (probe.status === 'skipped') continue;
    attemptsMade = Math.max(attemptsMade, probe.attempts);
    kindSuccess(probe.status === 'up' || probe.status === 'degraded' ? 1 : 0, { kind: probe.kind });
    kindDuration(probe.durationMs / 1000, { kind: probe.kind });
  }
  if (attemptsMade > 0) attempts(attemptsMade);
  if (service.vendor) vendor(1, { indicator: service.vendor.indicator });
}
