/**
 * The proxy probe kind: for a service whose connection goes through a proxy, it replaces the TCP
 * probe (and the DNS probe: the proxy resolves the name). Its failures are the proxy's own
 * (`proxy.*`, judged unknown: the target was never reached) or the target's as the proxy reported
 * them (`tcp.refused` and the like, judged down).
 */
import { serviceProxy } from '../../net/proxy.js';
import type { ProbeKindModule } from '../kind.js';
import { judgeProxy, proxyDetails, proxyVerbose } from './outputs.js';
import { probeProxy, proxyObservation } from './probe.js';

export const proxyKind: ProbeKindModule<'proxy'> = {
  kind: 'proxy',
  layer: 'proxy',
  runsFor: (service) => serviceProxy(service) !== undefined,
  probe: probeProxy,
  timeoutCode: 'proxy.timeout',
  timedOut: (service, failure, durationMs) => ({ ...proxyObservation(service), durationMs, failure }),
  judge: judgeProxy,
  details: proxyDetails,
  facts: (result) => (result.details.proxy ? { proxy: result.details.proxy } : {}),
  verbose: proxyVerbose,
};
