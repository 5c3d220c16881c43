/**
 * Judging the hosts a service depends on: each host is judged like a service of its own (the
 * judge's subcheck rule), and any host down or unknown makes the service degraded — the page
 * itself answered — with the first failing host's code.
 */
import { isLocalFailure } from '../../core/failure.js';
import type { Judgement } from '../../core/result.js';
import type { JudgeContext } from '../kind.js';
import type { HostCheck, HostsObservation } from './observation.js';

/** "page up; 2 of 7 asset hosts failing: images.example.com tls.expired, cdn.example.net dns.nxdomain" */
export function judgeHosts(observation: HostsObservation, context: JudgeContext): Judgement {
  const checked: HostCheck[] = hostChecks(observation, context);
  const what = observation.assets ? 'asset hosts' : 'hosts';
  const failing = checked.filter((h) => (h.status === 'down' || h.status === 'unknown') && !isLocalFailure(h.code));
  // Hosts outage could not check for its own limits: not the service's fault, but not checked either.
  const unchecked = checked.filter((h) => isLocalFailure(h.code));
  if (failing.length === 0 && unchecked[0]) {
    // Not checked because outage itself was busy: the service is measured again when it is quiet.
    const ownLoad = observation.checked.some(({ spec, check }) => context.judgeSubcheck(check, spec).ownLoad);
    return { status: 'unknown', code: unchecked[0].code, reason: `${unchecked.length} of ${checked.length} ${what} not checked: ${unchecked[0].reason}`, ...(ownLoad ? { ownLoad } : {}) };
  }
  if (failing.length === 0) {
    const cut = observation.assetHostsFound > checked.length ? ` (first ${checked.length} of ${observation.assetHostsFound})` : '';
    return { status: 'up', code: null, reason: checked.length ? `${checked.length} ${what} answered${cut}` : `no ${what} to check` };
  }
  const list = failing.map((h) => `${h.host} ${h.code ?? h.status}`).join(', ');
  const page = observation.assets ? 'page up; ' : '';
  return { status: 'degraded', code: failing[0]?.code ?? null, reason: `${page}${failing.length} of ${checked.length} ${what} failing: ${list}` };
}

/** Each host judged, with the facts common-cause grouping uses: address, issuer, CNAME target. */
export function hostChecks(observation: HostsObservation, context: JudgeContext): HostCheck[] {
  return observation.checked.map(({ host, url, source, spec, check }) => {
    const judged = context.judgeSubcheck(check, spec);
    const { dns, tcp, tls } = check.observations;
    const cnameTarget = dns?.cnameChain.at(-1);
    const address = tcp?.address;
    const issuer = tls?.presented[0]?.issuer;
    return {
      host,
      url,
      source,
      status: judged.status,
      code: judged.code,
      reason: judged.reason,
      durationMs: check.durationMs,
      ...(address ? { address } : {}),
      ...(issuer ? { issuer } : {}),
      ...(cnameTarget ? { cnameTarget } : {}),
    };
  });
}

