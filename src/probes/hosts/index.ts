/** The hosts probe kind: the other hosts a service depends on, each checked like a service. */
import type { ProbeKindModule } from '../kind.js';
import { judgeHosts } from './judge.js';
import { hostsDetails, hostsVerbose } from './outputs.js';
import { probeHosts } from './probe.js';

export const hostsKind: ProbeKindModule<'hosts'> = {
  kind: 'hosts',
  layer: 'application',
  runsFor: (service) => service.http !== undefined && service.hosts !== undefined,
  probe: probeHosts,
  timeoutCode: 'http.timeout',
  timedOut: (service, failure, durationMs) => ({ kind: 'hosts', assets: service.hosts?.assets !== undefined, assetHostsFound: 0, checked: [], durationMs, failure }),
  judge: (observation, _service, context) => judgeHosts(observation, context),
  details: hostsDetails,
  facts: () => ({}),
  verbose: hostsVerbose,
};
