/**
 * Judging a DNS answer: expected records, resolvers that disagree, a record type that failed
 * while another answered. Pure: an observation in, a judgement out.
 */
import { isLocalFailure, isTimeout } from '../../core/failure.js';
import { timeoutOnOwnLoad } from '../own-load.js';
import type { Judgement } from '../../core/result.js';
import type { ServiceSpec } from '../../config/service.js';
import type { DnsObservation } from './observation.js';

export function judgeDns(observation: DnsObservation, service: ServiceSpec): Judgement {
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
    // A family that timed out while outage itself was busy may have answered unread: no verdict
    // against the target on that (the service is measured again when the run is quiet).
    if (isTimeout(partial.code) && timeoutOnOwnLoad({ ...observation, failure: partial }, service)) {
      return { status: 'up', code: null, reason: `${answered(observation)}; ${partial.type} not answered while outage itself was busy`, ownLoad: true };
    }
    return { status: 'degraded', code: partial.code, reason: `${partial.type}: ${partial.reason} (other records answered)` };
  }
  return { status: 'up', code: null, reason: answered(observation) };
}

function answered(observation: DnsObservation): string {
  const first = observation.records[0];
  const more = observation.records.length > 1 ? ` (+${observation.records.length - 1})` : '';
  return first ? `${first.type} ${first.value}${more}` : 'resolved';
}

/**
 * Resolvers compared side by side: one failing while others answer is degraded — the Facebook 2021
 * pattern, where resolvers started to SERVFAIL one after another. Different answers alone are
 * normal (geo-DNS, CDNs), so they are noted but not judged.
 */
function judgeComparison(observation: DnsObservation): Judgement | undefined {
  const answers = observation.byResolver;
  if (!answers) return undefined;
  // A resolver outage could not ask (its own limits) is neither failing nor answering.
  const failing = answers.filter((a) => a.failure && !isLocalFailure(a.failure.code));
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

function normalize(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}
