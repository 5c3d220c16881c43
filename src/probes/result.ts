/**
 * Results with their details typed per kind: the report's probe, service and report types, as
 * the judge builds them and every renderer and the programmatic API read them.
 */
import type { ProbeKind } from '../core/probe-kind.js';
import type { ProbeResultOf as ProbeResultShape, ReportOf, ServiceResultOf } from '../core/result.js';
import type { DnsDetails } from './dns/observation.js';
import type { HostsDetails } from './hosts/observation.js';
import type { HttpDetails } from './http/observation.js';
import type { ProxyDetails } from './proxy/observation.js';
import type { StatusDetails } from './status-page/observation.js';
import type { TcpDetails } from './tcp/observation.js';
import type { TlsDetails } from './tls/observation.js';

export interface DetailsByKind {
  dns: DnsDetails;
  tcp: TcpDetails;
  proxy: ProxyDetails;
  tls: TlsDetails;
  http: HttpDetails;
  hosts: HostsDetails;
  status: StatusDetails;
}

export type ProbeResultOf<K extends ProbeKind> = ProbeResultShape<K, DetailsByKind[K]>;
export type ProbeResult = { [K in ProbeKind]: ProbeResultOf<K> }[ProbeKind];
export type ServiceResult = ServiceResultOf<ProbeResult>;
export type Report = ReportOf<ServiceResult>;

/** A service's result for one probe kind, typed: `probeOf(service, 'http')?.details.status`. */
export function probeOf<K extends ProbeKind>(service: Pick<ServiceResult, 'probes'>, kind: K): ProbeResultOf<K> | undefined {
  const isKind = (p: ProbeResult | ProbeResultOf<K>): p is ProbeResultOf<K> => p.kind === kind;
  for (const probe of service.probes) if (isKind(probe)) return probe;
  return undefined;
}
