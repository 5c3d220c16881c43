/** Judging a response: expected status, expected body, and latency against the threshold. */
import { formatDuration } from '../../core/duration.js';
import { formatStatusRanges, statusMatches } from '../../core/http-status-range.js';
import type { Judgement } from '../../core/result.js';
import type { ServiceSpec } from '../../config/service.js';
import { ownLoadClause, targetShareMs } from '../own-load.js';
import type { HttpObservation } from './observation.js';

export function judgeHttp(observation: HttpObservation, service: ServiceSpec): Judgement {
  const spec = service.http;
  const status = observation.status ?? 0;
  if (!spec) return { status: 'up', code: null, reason: `HTTP ${status}` };
  const at = answeredAt(observation);
  // Before "but …": `HTTP 200 at /login after 1 redirect, but …`.
  const atBut = at ? `${at},` : '';
  if (!statusMatches(status, spec.expectStatus)) {
    return { status: 'down', code: 'http.status', reason: `HTTP ${status} (expected ${formatStatusRanges(spec.expectStatus)})${at}` };
  }
  const checksBody = spec.expectBody !== undefined || spec.expectBodyRegex !== undefined;
  const body = observation.body ?? '';
  // Matching on what decoded before the damage could pass a page that never arrived whole. A coding
  // outage does not know is different: browsers show such a body as sent (a mislabelled
  // `Content-Encoding: UTF-8`), so content found in it as sent is content the page shows.
  const foundAsSent = observation.bodyAsSent === true && bodyMatches(body, spec);
  if (checksBody && observation.bodyProblem && !foundAsSent) {
    return { status: 'down', code: 'http.protocol', reason: `HTTP ${status}${atBut} but ${observation.bodyProblem}, so its content cannot be checked` };
  }
  const scope = observation.bodyTruncated ? ' in its first MiB' : '';
  if (spec.expectBody !== undefined && !body.includes(spec.expectBody)) {
    return { status: 'down', code: 'http.body_mismatch', reason: `HTTP ${status}${atBut} but the body does not contain ${JSON.stringify(spec.expectBody)}${scope}` };
  }
  if (spec.expectBodyRegex && !spec.expectBodyRegex.test(body)) {
    return { status: 'down', code: 'http.body_mismatch', reason: `HTTP ${status}${atBut} but the body does not match /${spec.expectBodyRegex.source}/${scope}` };
  }
  const total = observation.timings.total;
  // A lookup that waited on a dead nameserver of this machine's resolv.conf (glibc waits out its
  // `timeout:`, 5 s by default, on every lookup) is slow here for every name: not the target's time.
  // So is one that waited out a try on a configured resolver that is silent while another answers.
  const localDns = observation.silentNameservers || observation.silentResolvers ? (observation.timings.dns ?? 0) : 0;
  if (localDns > 0 && total > service.latencyDegradedMs && targetShareMs(total - localDns, observation) <= service.latencyDegradedMs) {
    const waited = `HTTP ${status} in ${formatDuration(total)}, ${formatDuration(localDns)} of it`;
    if (observation.silentNameservers) {
      return { status: 'up', code: null, reason: `${waited} the system resolver waiting on nameserver ${observation.silentNameservers.join(', ')}, which does not answer (this machine's /etc/resolv.conf, not judged)` };
    }
    const servers = observation.silentResolvers ?? [];
    return { status: 'up', code: null, reason: `${waited} waiting on the configured resolver${servers.length > 1 ? 's' : ''} ${servers.join(', ')}, which ${servers.length > 1 ? 'do' : 'does'} not answer while another does (not the target's time, not judged)` };
  }
  // Slow only when even the least the target can have taken, outage's own busy time left out, is
  // over the threshold; otherwise the time is outage's as much as the target's (see own-load.ts).
  if (total > service.latencyDegradedMs && targetShareMs(total, observation) <= service.latencyDegradedMs) {
    return { status: 'up', code: null, reason: `HTTP ${status} in ${formatDuration(total)}${ownLoadClause(total, observation)}`, ownLoad: true };
  }
  if (total > service.latencyDegradedMs) {
    return { status: 'degraded', code: 'http.slow', reason: `HTTP ${status} in ${formatDuration(total)} (slower than ${formatDuration(service.latencyDegradedMs)})` };
  }
  return { status: 'up', code: null, reason: `HTTP ${status} in ${formatDuration(total)}` };
}

function bodyMatches(body: string, spec: NonNullable<ServiceSpec['http']>): boolean {
  return (spec.expectBody === undefined || body.includes(spec.expectBody)) && (spec.expectBodyRegex === undefined || spec.expectBodyRegex.test(body));
}

/**
 * Where a verdict's response came from, when redirects led away from the URL checked: a logged-out
 * user is sent to the login page, which answers 200 (Meta 2024), and "the body does not contain
 * 'Inbox'" alone reads as if the page checked had changed. The path on the same origin, the origin
 * too on another; never the query or fragment, where sign-in flows carry tokens.
 */
function answeredAt(observation: HttpObservation): string {
  const redirects = observation.hops.length - 1;
  if (redirects < 1) return '';
  let final: URL;
  let first: URL;
  try {
    final = new URL(observation.url);
    first = new URL(observation.hops[0]?.url ?? observation.url);
  } catch {
    return '';
  }
  const where = final.origin === first.origin ? final.pathname : `${final.origin}${final.pathname}`;
  const shown = where.length > MAX_WHERE ? `${where.slice(0, MAX_WHERE)}…` : where;
  return ` at ${shown} after ${redirects} redirect${redirects === 1 ? '' : 's'}`;
}

/** A path a server chose can be long; its start says where the user was sent. */
const MAX_WHERE = 100;
