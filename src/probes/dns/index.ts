/** The DNS probe kind: resolve the service's name (or query its configured record type). */
import { serviceProxy } from '../../net/proxy.js';
import type { ProbeKindModule } from '../kind.js';
import { judgeDns } from './judge.js';
import { dnsCell, dnsDetails, dnsFacts, dnsVerbose } from './outputs.js';
import { probeDns } from './probe.js';

export const dnsKind: ProbeKindModule<'dns'> = {
  kind: 'dns',
  layer: 'dns',
  // Through a proxy, the proxy resolves the name: a local lookup would judge the wrong resolver.
  runsFor: (service) => service.dns !== false && serviceProxy(service) === undefined,
  probe: probeDns,
  timeoutCode: 'dns.timeout',
  timedOut: (service, failure, durationMs) => ({
    kind: 'dns',
    name: service.dns ? service.dns.name : (service.endpoint?.host ?? ''),
    resolvers: service.resolvers.length ? service.resolvers : 'system',
    source: 'dns',
    records: [],
    cnameChain: [],
    partialFailures: [],
    durationMs,
    failure,
  }),
  judge: judgeDns,
  details: dnsDetails,
  facts: dnsFacts,
  column: { title: 'DNS', text: dnsCell },
  verbose: dnsVerbose,
};
