/**
 * The one place that maps a probe kind to its implementation, and a service to the probes it
 * runs. Dispatch never branches on kind anywhere else.
 */
import type { ServiceSpec } from '../config/service.js';
import { probeDns } from './dns.js';
import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import type { Probe, ProbeKind } from './types.js';

export const PROBES: { [K in ProbeKind]: Probe<K> } = {
  dns: probeDns,
  tcp: probeTcp,
  tls: probeTls,
  http: probeHttp,
};

/** The probes a service runs, in dependency order: each needs what the previous one produced. */
export function probesFor(service: ServiceSpec): ProbeKind[] {
  const kinds: ProbeKind[] = [];
  if (service.dns !== false) kinds.push('dns');
  if (service.endpoint) kinds.push('tcp');
  if (service.endpoint?.protocol === 'https') kinds.push('tls');
  if (service.http) kinds.push('http');
  return kinds;
}
