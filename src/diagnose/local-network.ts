/**
 * The local-network verdict: when the canaries fail too, the problem is between this machine and
 * the internet, and blaming every service would be wrong. Each failing layer is named from the
 * canaries' failure codes, lowest first — what the user must fix is the lowest one.
 */
import { isLocalFailure, type FailureCode } from '../core/failure.js';
import { factsOf, layerOf } from '../probes/registry.js';
import type { ServiceResult } from '../probes/result.js';

export type FailingLayer = 'no route' | 'resolver not answering' | 'resolver answering NXDOMAIN for everything' | 'proxy not working' | 'TLS intercepted';

export interface LocalNetworkVerdict {
  verdict: 'local network problem';
  /** Every failing layer, lowest first. */
  layers: FailingLayer[];
  /** "resolver answering NXDOMAIN for everything (system resolver: one.one.one.one dns.nxdomain, …)" */
  reason: string;
}

const INTERCEPTED: ReadonlySet<FailureCode | null> = new Set(['tls.untrusted', 'tls.hostname_mismatch']);
const NOT_ANSWERING: ReadonlySet<FailureCode | null> = new Set(['dns.timeout', 'dns.refused', 'dns.servfail']);

/** Undefined when the canaries say the network is fine (or there were none). */
export function diagnoseLocalNetwork(canaries: ServiceResult[]): LocalNetworkVerdict | undefined {
  if (canaries.length === 0) return undefined;
  const failedAt = (canary: ServiceResult) => canary.probes.find((p) => p.status === 'down' || p.status === 'unknown');
  const failing = canaries.filter((c) => c.status !== 'up' && c.status !== 'degraded');
  // Canaries outage could not run for its own limits (local.resources) say nothing of the network.
  if (failing.some((c) => isLocalFailure(c.code))) return undefined;
  const withTls = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'tls' && p.status !== 'skipped'));
  const intercepted = withTls.length > 0 && withTls.every((c) => INTERCEPTED.has(failedAt(c)?.code ?? null));
  // Interception leaves DNS answering; every other verdict needs every canary down.
  if (failing.length < canaries.length && !intercepted) return undefined;

  const layers: FailingLayer[] = [];
  const failedLayer = (canary: ServiceResult) => {
    const probe = failedAt(canary);
    return probe && layerOf(probe.kind);
  };
  const connecting = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'transport' && p.status !== 'skipped'));
  if (connecting.length > 0 && connecting.every((c) => failedLayer(c) === 'transport')) layers.push('no route');
  const dnsFailures = failing.filter((c) => failedLayer(c) === 'dns');
  const dnsCodes = dnsFailures.map((c) => failedAt(c)?.code ?? null);
  if (dnsFailures.length > 0 && dnsCodes.every((code) => code === 'dns.nxdomain')) layers.push('resolver answering NXDOMAIN for everything');
  else if (dnsFailures.length > 0 && dnsCodes.every((code) => NOT_ANSWERING.has(code))) layers.push('resolver not answering');
  // Canaries through a proxy that all fail there: the proxy is the way out, and it is broken.
  const proxied = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'proxy' && p.status !== 'skipped'));
  const proxies = [...new Set(proxied.flatMap((c) => c.probes.flatMap((p) => factsOf(p).proxy ?? [])))];
  if (proxied.length > 0 && proxied.every((c) => failedLayer(c) === 'proxy')) layers.push('proxy not working');
  if (intercepted) layers.push('TLS intercepted');
  if (layers.length === 0) layers.push('no route');
  const evidence = failing.slice(0, 4).map((canary) => `${canary.name} ${failedAt(canary)?.code ?? canary.status}`);
  const more = failing.length > 4 ? `, +${failing.length - 4} more` : '';
  const words = layers.map((l) => {
    if (l === 'TLS intercepted') return 'TLS intercepted — every certificate untrusted';
    return l === 'proxy not working' ? `proxy ${proxies.join(', ')} not working` : l;
  });
  return { verdict: 'local network problem', layers, reason: `${words.join('; ')} (${evidence.join(', ')}${more})` };
}

/**
 * Services that failed while the network itself is failing are not judged: unknown, with the
 * verdict as the reason. Services that answered stay as measured.
 */
export function applyVerdict(services: ServiceResult[], verdict: LocalNetworkVerdict): ServiceResult[] {
  return services.map((service) =>
    service.status === 'up'
      ? service
      : {
          ...service,
          status: 'unknown',
          code: 'network.local',
          reason: `not judged: local network problem — ${verdict.layers.join('; ')} (${service.code === 'interrupted' ? 'stopped when the canaries failed' : `measured: ${service.code ?? service.status}`})`,
        },
  );
}
