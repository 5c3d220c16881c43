/**
 * The local-network verdict: when the canaries fail too, the problem is between this machine and
 * the internet, and blaming every service would be wrong. Each failing layer is named from the
 * canaries' failure codes, lowest first — what the user must fix is the lowest one.
 *
 * The verdict is given per layer: when every canary that looks a name up through a resolver fails
 * in DNS (NXDOMAIN for names that exist, refused, silent) while canaries reached by address
 * connect, DNS is broken here — a lying or dead resolver — and services' DNS failures through that
 * resolver are not theirs, though TCP works and other failures are still judged as measured.
 */
import { isLocalFailure, type FailureCode } from '../core/failure.js';
import { factsOf, layerOf } from '../probes/registry.js';
import type { ServiceResult } from '../probes/result.js';

export type FailingLayer = 'no route' | 'resolver not answering' | 'resolver answering NXDOMAIN for everything' | 'proxy not working' | 'TLS intercepted';

export interface LocalNetworkVerdict {
  verdict: 'local network problem';
  /** `network`: every canary fails; `dns`: only name resolution (see brokenResolvers). */
  scope: 'network' | 'dns';
  /** Every failing layer, lowest first. */
  layers: FailingLayer[];
  /** "resolver answering NXDOMAIN for everything (system resolver: one.one.one.one dns.nxdomain, …)" */
  reason: string;
  /** With scope `dns`: the resolvers found broken (`system`, or a configured list). */
  brokenResolvers?: string[];
}

const INTERCEPTED: ReadonlySet<FailureCode | null> = new Set(['tls.untrusted', 'tls.hostname_mismatch']);
const NOT_ANSWERING: ReadonlySet<FailureCode | null> = new Set(['dns.timeout', 'dns.refused', 'dns.servfail']);
const RESOLVER_BROKEN: ReadonlySet<FailureCode | null> = new Set(['dns.nxdomain', ...NOT_ANSWERING]);

const failedAt = (result: ServiceResult) => result.probes.find((p) => p.status === 'down' || p.status === 'unknown');
const failedLayer = (result: ServiceResult) => {
  const probe = failedAt(result);
  return probe && layerOf(probe.kind);
};
/** Who a result's name lookup asked (`system`, or its resolvers), when it looked a name up. */
const resolversOf = (result: ServiceResult) => result.probes.filter((p) => layerOf(p.kind) === 'dns' && p.status !== 'skipped').map((p) => factsOf(p).resolvers ?? 'system')[0];

/**
 * Resolvers (`system` or a configured list) for which every canary asking them failed in DNS with
 * a code that says the resolver is broken, while some canary succeeded: DNS is broken, not the network.
 */
function brokenResolvers(canaries: ServiceResult[]): { resolvers: string[]; failing: ServiceResult[] } {
  const byResolvers = new Map<string, ServiceResult[]>();
  for (const canary of canaries) {
    const resolvers = resolversOf(canary);
    if (resolvers !== undefined) byResolvers.set(resolvers, [...(byResolvers.get(resolvers) ?? []), canary]);
  }
  const broken = [...byResolvers].filter(([, group]) => group.every((c) => failedLayer(c) === 'dns' && RESOLVER_BROKEN.has(failedAt(c)?.code ?? null)));
  return { resolvers: broken.map(([r]) => r), failing: broken.flatMap(([, group]) => group) };
}

function dnsLayers(failures: ServiceResult[]): FailingLayer[] {
  const codes = failures.map((c) => failedAt(c)?.code ?? null);
  const layers: FailingLayer[] = [];
  if (codes.length > 0 && codes.every((code) => code === 'dns.nxdomain')) layers.push('resolver answering NXDOMAIN for everything');
  else if (codes.length > 0 && codes.every((code) => NOT_ANSWERING.has(code))) layers.push('resolver not answering');
  else if (codes.length > 0) layers.push('resolver answering NXDOMAIN for everything', 'resolver not answering');
  return layers;
}

function evidenceOf(failing: ServiceResult[]): string {
  const evidence = failing.slice(0, 4).map((canary) => `${canary.name} ${failedAt(canary)?.code ?? canary.status}`);
  return `${evidence.join(', ')}${failing.length > 4 ? `, +${failing.length - 4} more` : ''}`;
}

/** Undefined when the canaries say the network is fine (or there were none). */
export function diagnoseLocalNetwork(canaries: ServiceResult[]): LocalNetworkVerdict | undefined {
  if (canaries.length === 0) return undefined;
  const failing = canaries.filter((c) => c.status !== 'up' && c.status !== 'degraded');
  // Canaries outage could not run for its own limits (local.resources) say nothing of the network.
  if (failing.some((c) => isLocalFailure(c.code))) return undefined;
  const withTls = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'tls' && p.status !== 'skipped'));
  const intercepted = withTls.length > 0 && withTls.every((c) => INTERCEPTED.has(failedAt(c)?.code ?? null));
  // Interception leaves DNS answering; a broken resolver leaves connections by address working.
  if (failing.length < canaries.length && !intercepted) return dnsVerdict(canaries);

  const layers: FailingLayer[] = [];
  const connecting = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'transport' && p.status !== 'skipped'));
  if (connecting.length > 0 && connecting.every((c) => failedLayer(c) === 'transport')) layers.push('no route');
  const dnsFailures = failing.filter((c) => failedLayer(c) === 'dns');
  const dnsCodes = dnsFailures.map((c) => failedAt(c)?.code ?? null);
  if (dnsFailures.length > 0 && dnsCodes.every((code) => code === 'dns.nxdomain')) layers.push('resolver answering NXDOMAIN for everything');
  else if (dnsFailures.length > 0 && dnsCodes.every((code) => NOT_ANSWERING.has(code))) layers.push('resolver not answering');
  // (A mix of NXDOMAIN and silence with every canary down is named by the layers below it.)
  // Canaries through a proxy that all fail there: the proxy is the way out, and it is broken.
  const proxied = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'proxy' && p.status !== 'skipped'));
  const proxies = [...new Set(proxied.flatMap((c) => c.probes.flatMap((p) => factsOf(p).proxy ?? [])))];
  if (proxied.length > 0 && proxied.every((c) => failedLayer(c) === 'proxy')) layers.push('proxy not working');
  if (intercepted) layers.push('TLS intercepted');
  if (layers.length === 0) layers.push('no route');
  const words = layers.map((l) => {
    if (l === 'TLS intercepted') return 'TLS intercepted — every certificate untrusted';
    return l === 'proxy not working' ? `proxy ${proxies.join(', ')} not working` : l;
  });
  return { verdict: 'local network problem', scope: 'network', layers, reason: `${words.join('; ')} (${evidenceOf(failing)})` };
}

/** Some canaries answer: still a verdict when the ones that needed a resolver all failed in it. */
function dnsVerdict(canaries: ServiceResult[]): LocalNetworkVerdict | undefined {
  const answered = canaries.some((c) => c.status === 'up' || c.status === 'degraded');
  const broken = brokenResolvers(canaries);
  if (!answered || broken.resolvers.length === 0) return undefined;
  const layers = dnsLayers(broken.failing);
  const who = broken.resolvers.map((r) => (r === 'system' ? 'the system resolver' : `resolver ${r.split(',').join(', ')}`)).join(' and ');
  return {
    verdict: 'local network problem',
    scope: 'dns',
    brokenResolvers: broken.resolvers,
    layers,
    reason: `DNS is broken here: ${layers.join('; ')} — ${who} (${evidenceOf(broken.failing)}), while connections by address work`,
  };
}

/**
 * Services that failed while the network itself is failing are not judged: unknown, with the
 * verdict as the reason. Services that answered stay as measured. When only DNS is broken here,
 * only the services whose name lookup through a broken resolver failed (or that the verdict
 * stopped) are not judged: one that failed at TCP, TLS or HTTP is judged as measured.
 */
export function applyVerdict(services: ServiceResult[], verdict: LocalNetworkVerdict): ServiceResult[] {
  const notJudged = (service: ServiceResult) => {
    if (service.status === 'up') return false;
    if (verdict.scope === 'network' || service.code === 'interrupted') return true;
    return failedLayer(service) === 'dns' && RESOLVER_BROKEN.has(service.code) && (verdict.brokenResolvers ?? []).includes(resolversOf(service) ?? '');
  };
  const what = verdict.scope === 'dns' ? `DNS is broken here: ${verdict.layers.join('; ')}` : verdict.layers.join('; ');
  return services.map((service) =>
    !notJudged(service)
      ? service
      : {
          ...service,
          status: 'unknown',
          code: 'network.local',
          reason: `not judged: local network problem — ${what} (${service.code === 'interrupted' ? 'stopped when the canaries failed' : `measured: ${service.code ?? service.status}`})`,
        },
  );
}
