/**
 * The TCP probe kind: connect to the resolved addresses and keep the socket for TLS and HTTP.
 * A connection either happens or fails with a code, so its judgement is only ever "up".
 */
import { formatDuration } from '../../core/duration.js';
import { roundMs } from '../../core/round.js';
import { serviceProxy } from '../../net/proxy.js';
import type { ProbeKindModule } from '../kind.js';
import { probeTcp } from './probe.js';

export const tcpKind: ProbeKindModule<'tcp'> = {
  kind: 'tcp',
  layer: 'transport',
  // Through a proxy, the proxy probe connects instead.
  runsFor: (service) => service.endpoint !== undefined && serviceProxy(service) === undefined,
  probe: probeTcp,
  timeoutCode: 'tcp.timeout',
  timedOut: (service, failure, durationMs) => ({ kind: 'tcp', port: service.endpoint?.port ?? 0, attempts: [], durationMs, failure }),
  judge: (observation) => ({ status: 'up', code: null, reason: `connected to ${observation.address} in ${formatDuration(observation.durationMs)}` }),
  details: (observation) => ({
    address: observation.address,
    port: observation.port,
    attempts: observation.attempts.map((a) => ({ ...a, durationMs: roundMs(a.durationMs) })),
  }),
  facts: (result) => (result.details.address ? { connectedAddress: result.details.address } : {}),
  verbose: (result) => {
    const attempts = result.details.attempts ?? [];
    return attempts.length > 1 ? [`attempts: ${attempts.map((a) => `${a.address} ${a.code ?? 'ok'} ${formatDuration(a.durationMs)}`).join(', ')}`] : [];
  },
};
