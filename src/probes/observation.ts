/** Every kind's observation, as one union and as the per-attempt record probes share. */
import type { ProbeKind } from '../core/probe-kind.js';
import type { DnsObservation } from './dns/observation.js';
import type { HostsObservation } from './hosts/observation.js';
import type { HttpObservation } from './http/observation.js';
import type { ProxyObservation } from './proxy/observation.js';
import type { StatusObservation } from './status-page/observation.js';
import type { TcpObservation } from './tcp/observation.js';
import type { TlsObservation } from './tls/observation.js';

export interface ObservationByKind {
  dns: DnsObservation;
  tcp: TcpObservation;
  proxy: ProxyObservation;
  tls: TlsObservation;
  http: HttpObservation;
  hosts: HostsObservation;
  status: StatusObservation;
}

export type ObservationOf<K extends ProbeKind> = ObservationByKind[K];
export type Observation = ObservationByKind[ProbeKind];

/** What the probes of one attempt observed so far, by kind. */
export type Observed = { [K in ProbeKind]?: ObservationByKind[K] };
