/** What the hosts probe adds to the report and to each output. */
import { roundMs } from '../../core/round.js';
import type { JudgeContext } from '../kind.js';
import { hostChecks } from './judge.js';
import type { ProbeResultOf } from '../result.js';
import type { HostsDetails, HostsObservation } from './observation.js';

export function hostsDetails(observation: HostsObservation, context: JudgeContext): HostsDetails {
  const hosts = hostChecks(observation, context).map((h) => ({ ...h, durationMs: roundMs(h.durationMs) }));
  return { assets: observation.assets, assetHostsFound: observation.assetHostsFound, hosts };
}

export function hostsVerbose(result: ProbeResultOf<'hosts'>): string[] {
  return (result.details.hosts ?? []).map((h) => `${h.host} (${h.source === 'page' ? 'asset' : 'host'}): ${h.status}${h.code ? ` ${h.code}` : ''} — ${h.reason}`);
}
