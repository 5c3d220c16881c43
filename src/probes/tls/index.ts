/** The TLS probe kind: one full handshake over the TCP socket, certificates inspected. */
import type { ProbeKindModule } from '../kind.js';
import { judgeTls } from './judge.js';
import { tlsCell, tlsDetails, tlsFacts, tlsVerbose } from './outputs.js';
import { probeTls } from './probe.js';

export const tlsKind: ProbeKindModule<'tls'> = {
  kind: 'tls',
  layer: 'tls',
  runsFor: (service) => service.endpoint?.protocol === 'https',
  probe: probeTls,
  timeoutCode: 'tls.handshake_timeout',
  timedOut: (service, failure, durationMs) => ({ kind: 'tls', authorized: false, presented: [], chain: [], verify: service.tls?.verify ?? true, durationMs, failure }),
  judge: judgeTls,
  details: tlsDetails,
  facts: tlsFacts,
  column: { title: 'TLS', text: tlsCell },
  verbose: tlsVerbose,
};
