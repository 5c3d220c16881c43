/**
 * The one place that maps a probe kind to its implementation, and a service to the probes it
 * runs. Dispatch never branches on kind anywhere else.
 */
import type { ServiceSpec } from '../config/service.js';
import { probeDns } from './dns.js';
import { probeHosts } from './hosts.js';
import { probeHttp } from './http.js';
import { probeStatus } from './status.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import type { Probe, ProbeKind } from './types.js';

export const PROBES: { [K in ProbeKind]: Probe<K> } = {
  dns: probeDns,
  tcp: probeTcp,
  tls: probeTls,
  http: probeHttp,
  hosts: probeHosts,
  status: probeStatus,
};

/**
 * Probes that need nothing from the others: they start with the attempt and run alongside the
 * chain, and a failure in the chain does not skip them — when DNS for the service fails, what the
 * vendor's status page says matters most (Facebook 2021).
 */
export const SIDE_PROBES: ReadonlySet<ProbeKind> = new Set(['status']);

/** The probes a service runs, in dependency order: each needs what the previous one produced. */
export function probesFor(service: ServiceSpec): ProbeKind[] {
  const kinds: ProbeKind[] = [];
  if (service.dns !== false) kinds.push('dns');
  if (service.endpoint) kinds.push('tcp');
  if (service.endpoint?.protocol === 'https') kinds.push('tls');
  if (service.http) kinds.push('http');
  if (service.http && service.hosts) kinds.push('hosts');
  if (service.status) kinds.push('status');
  return kinds;
}
