/**
 * Judging: observations in, statuses out. Every threshold and expectation — HTTP status, body,
 * latency, certificate days, DNS answers, retries — is applied here and nowhere else, so "why is
 * this degraded?" has exactly one answer.
 */
import type { ServiceSpec } from '../config/service.js';
import type { DnsObservation, FailureCode, HostsObservation, HttpObservation, Observation, ProbeKind, StatusObservation, TlsObservation } from '../probes/types.js';
import { vendorWords } from '../vendor/types.js';
import { worst, type ProbeStatus, type Status } from '../status.js';
import { formatDuration } from '../util/duration.js';
import { formatStatusRanges, statusMatches } from '../util/status-range.js';

export interface Judgement {
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
}

export function judge(observation: Observation, service: ServiceSpec): Judgement {
  // A status page that cannot be read says nothing about the service: unknown, never down.
  if (observation.failure) return { status: observation.kind === 'status' ? 'unknown' : 'down', ...observation.failure };
  switch (observation.kind) {
    case 'dns':
      return judgeDns(observation, service);
    case 'tcp':
      return { status: 'up', code: null, reason: `connected to ${observation.address} in ${formatDuration(observation.durationMs)}` };
    case 'tls':
      return judgeTls(observation, service);
    case 'http':
      return judgeHttp(observation, service);
    case 'hosts':
      return judgeHosts(observation);
    case 'status':
      return judgeVendor(observation);
  }
}

/** "page up; 2 of 7 asset hosts failing: images.example.com tls.expired, cdn.example.net dns.nxdomain" */
function judgeHosts(observation: HostsObservation): Judgement {
  const { checked } = observation;
  const what = observation.assets ? 'asset hosts' : 'hosts';
  const failing = checked.filter((h) => h.status === 'down' || h.status === 'unknown');
  if (failing.length === 0) {
    const cut = observation.assetHostsFound > checked.length ? ` (first ${checked.length} of ${observation.assetHostsFound})` : '';
    return { status: 'up', code: null, reason: checked.length ? `${checked.length} ${what} answered${cut}` : `no ${what} to check` };
  }
  const list = failing.map((h) => `${h.host} ${h.code ?? h.status}`).join(', ');
  const page = observation.assets ? 'page up; ' : '';
  return { status: 'degraded', code: failing[0]?.code ?? null, reason: `${page}${failing.length} of ${checked.length} ${what} failing: ${list}` };
}

/**
 * The vendor's own word, on the same scale as measurements: a major or critical outage is `down`,
 * a minor incident or maintenance `degraded`. results.ts decides how much it moves the service.
 */
function judgeVendor(observation: StatusObservation): Judgement {
  const vendor = observation.vendor;
  if (!vendor) return { status: 'unknown', code: 'status.unrecognized', reason: 'no vendor status' };
  const reason = `vendor: ${vendorWords(vendor)}`;
  if (vendor.indicator === 'none') return { status: 'up', code: null, reason };
  const status = vendor.indicator === 'major' || vendor.indicator === 'critical' ? 'down' : 'degraded';
  return { status, code: 'vendor.incident', reason };
}

function judgeDns(observation: DnsObservation, service: ServiceSpec): Judgement {
  const expected = service.dns ? service.dns.expect : undefined;
  const values = observation.records.map((r) => normalize(r.value));
  if (expected) {
    const missing = expected.filter((e) => !values.some((v) => v === normalize(e) || v.endsWith(` ${normalize(e)}`)));
    if (missing.length > 0) {
      const got = observation.records.map((r) => r.value).join(', ') || 'nothing';
      return { status: 'down', code: 'dns.unexpected', reason: `${observation.name}: expected ${missing.join(', ')}, got ${got}` };
    }
  }
  const disagreement = judgeComparison(observation);
  if (disagreement) return disagreement;
  const partial = observation.partialFailures[0];
  if (partial) {
    return { status: 'degraded', code: partial.code, reason: `${partial.type}: ${partial.reason} (other records answered)` };
  }
  const first = observation.records[0];
  const more = observation.records.length > 1 ? ` (+${observation.records.length - 1})` : '';
  return { status: 'up', code: null, reason: first ? `${first.type} ${first.value}${more}` : 'resolved' };
}

/**
 * Resolvers compared side by side: one failing while others answer is degraded — the Facebook 2021
 * pattern, where resolvers started to SERVFAIL one after another. Different answers alone are
 * normal (geo-DNS, CDNs), so they are noted but not judged.
 */
function judgeComparison(observation: DnsObservation): Judgement | undefined {
  const answers = observation.byResolver;
  if (!answers) return undefined;
  const failing = answers.filter((a) => a.failure);
  const answering = answers.filter((a) => !a.failure);
  if (failing.length > 0) {
    const what = failing.map((a) => `${a.resolver} ${a.failure?.code.replace('dns.', '').toUpperCase()}`).join(', ');
    const others = answering.length > 0 ? ` while ${answering.map((a) => a.resolver).join(', ')} answered` : '';
    return { status: 'degraded', code: failing[0]?.failure?.code ?? 'dns.servfail', reason: `${observation.name}: ${what}${others}` };
  }
  const distinct = new Set(answering.map((a) => (a.values ?? []).join(',')));
  if (distinct.size > 1) {
    const detail = answering.map((a) => `${a.resolver} → ${(a.values ?? []).join(' ') || 'nothing'}`).join('; ');
    return { status: 'up', code: null, reason: `${observation.name}: resolvers disagree (${detail})` };
  }
  return undefined;
}

function judgeTls(observation: TlsObservation, service: ServiceSpec): Judgement {
  const thresholds = service.tls?.certificate;
  const earliest = observation.earliest;
  if (!observation.verify) return { status: 'up', code: null, reason: 'certificate not verified (tls: false)' };
  if (!earliest || !thresholds) return { status: 'up', code: null, reason: `${observation.protocol ?? 'TLS'} established` };
  const days = Math.floor(earliest.daysLeft);
  const which = earliest === observation.chain[0] ? 'certificate' : `chain certificate ${earliest.subject}`;
  const when = `${which} expires in ${days} day${days === 1 ? '' : 's'} (${earliest.validTo.slice(0, 10)})`;
  if (earliest.daysLeft <= thresholds.downDays) return { status: 'down', code: 'tls.expiring', reason: when };
  if (earliest.daysLeft <= thresholds.degradedDays) return { status: 'degraded', code: 'tls.expiring', reason: when };
  return { status: 'up', code: null, reason: `${observation.protocol ?? 'TLS'}, ${when}` };
}

function judgeHttp(observation: HttpObservation, service: ServiceSpec): Judgement {
  const spec = service.http;
  const status = observation.status ?? 0;
  if (!spec) return { status: 'up', code: null, reason: `HTTP ${status}` };
  if (!statusMatches(status, spec.expectStatus)) {
    return { status: 'down', code: 'http.status', reason: `HTTP ${status} (expected ${formatStatusRanges(spec.expectStatus)})` };
  }
  const body = observation.body ?? '';
  const scope = observation.bodyTruncated ? ' in its first MiB' : '';
  if (spec.expectBody !== undefined && !body.includes(spec.expectBody)) {
    return { status: 'down', code: 'http.body_mismatch', reason: `HTTP ${status} but the body does not contain ${JSON.stringify(spec.expectBody)}${scope}` };
  }
  if (spec.expectBodyRegex && !spec.expectBodyRegex.test(body)) {
    return { status: 'down', code: 'http.body_mismatch', reason: `HTTP ${status} but the body does not match /${spec.expectBodyRegex.source}/${scope}` };
  }
  const total = observation.timings.total;
  if (total > service.latencyDegradedMs) {
    return { status: 'degraded', code: 'http.slow', reason: `HTTP ${status} in ${formatDuration(total)} (slower than ${formatDuration(service.latencyDegradedMs)})` };
  }
  return { status: 'up', code: null, reason: `HTTP ${status} in ${formatDuration(total)}` };
}

function normalize(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}

/** What one attempt of a service shows: the worst of its probes, used to decide a retry. */
export function attemptStatus(judgements: Judgement[]): Status {
  return worst(judgements.map((j) => j.status));
}

/**
 * Combine a probe's judgements across attempts. The last attempt decides, except that a failure
 * cured by a retry still counts: the probe is degraded and keeps the first failure's code, so a
 * flapping service is never reported as simply up.
 */
export function combineAttempts(kind: ProbeKind, perAttempt: (Judgement | 'skipped' | undefined)[]): Judgement & { firstFailure?: Judgement } {
  const last = perAttempt.at(-1);
  if (last === undefined || last === 'skipped') {
    return { status: 'skipped', code: null, reason: `skipped: an earlier probe failed before ${kind}` };
  }
  const firstFailure = perAttempt.find((j): j is Judgement => typeof j === 'object' && (j.status === 'down' || j.status === 'unknown'));
  if (firstFailure && firstFailure !== last && (last.status === 'up' || last.status === 'degraded')) {
    const attempt = perAttempt.indexOf(firstFailure) + 1;
    return {
      status: 'degraded',
      code: firstFailure.code,
      reason: `recovered on attempt ${perAttempt.length} after ${firstFailure.reason} (attempt ${attempt})`,
      firstFailure,
    };
  }
  return last;
}
