/**
 * The local-network verdict: when the canaries fail too, the problem is between this machine and
 * the internet, and blaming every service would be wrong. Each failing layer is named from the
 * canaries' failure codes, lowest first — what the user must fix is the lowest one.
 *
 * The verdict is given per layer: when every canary that looks a name up through a resolver fails
 * in DNS (NXDOMAIN for names that exist, refused, silent) while canaries reached by address
 * connect, DNS is broken here — a lying or dead resolver — and services' DNS failures through that
 * resolver are not theirs, though TCP works and other failures are still judged as measured.
 *
 * A resolver can also be broken for one address family only: many home routers and some corporate
 * resolvers drop every AAAA query. Every name then answers A and times out on AAAA, and every
 * service would be degraded for it. When every canary asking that resolver is degraded by the same
 * family failing (timeout, SERVFAIL, REFUSED) while the other family answered, the failure is the
 * resolver's: services degraded only by that same failure through it are judged on the rest.
 */
import { isPrivateAddress } from '../config/internet.js';
import { withoutPort } from '../core/domain.js';
import { isLocalFailure, type FailureCode } from '../core/failure.js';
import { worstFirst } from '../core/status.js';
import { factsOf, isSideProbe, layerOf } from '../probes/registry.js';
import { probeOf, type ServiceResult } from '../probes/result.js';

/** An address family, as the record type that asks for it. */
export type Family = 'A' | 'AAAA';

export type FailingLayer =
  | 'no route'
  | 'connections refused'
  | 'resolver not answering'
  | `resolver not answering ${Family}`
  | 'resolver answering NXDOMAIN for everything'
  | 'proxy not working'
  | 'TLS intercepted';

export interface LocalNetworkVerdict {
  verdict: 'local network problem';
  /** `network`: every canary fails; `dns`: only name resolution (see brokenResolvers). */
  scope: 'network' | 'dns';
  /** Every failing layer, lowest first. */
  layers: FailingLayer[];
  /** "resolver answering NXDOMAIN for everything (system resolver: one.one.one.one dns.nxdomain, …)" */
  reason: string;
  /** With scope `dns`: the resolvers found failing every lookup (`system`, or a configured list). */
  brokenResolvers?: string[];
  /** With scope `dns`: resolvers that answer one family and fail the other for every name. */
  familyFailures?: { resolvers: string; family: Family }[];
  /**
   * With TLS intercepted alone: the resolvers that answered the canaries. Names and routes work,
   * so a service's lookup failing through one of them is its own failure, judged as measured.
   */
  vouchedResolvers?: string[];
  /**
   * "No route" while lookups through a resolver here answered: a router serving its cache with
   * the uplink gone — or a network that blocks only the canaries' addresses (some block DoH to
   * 1.1.1.1 and 8.8.8.8). The services tell them apart (see refutedBy): nothing is stopped early.
   */
  tentative?: true;
}

const INTERCEPTED: ReadonlySet<FailureCode | null> = new Set(['tls.untrusted', 'tls.hostname_mismatch']);
const NOT_ANSWERING: ReadonlySet<FailureCode | null> = new Set(['dns.timeout', 'dns.refused', 'dns.servfail']);
const RESOLVER_BROKEN: ReadonlySet<FailureCode | null> = new Set(['dns.nxdomain', ...NOT_ANSWERING]);

const failedAt = (result: ServiceResult) => result.probes.find((p) => p.status === 'down' || p.status === 'unknown');
const failedLayer = (result: ServiceResult) => {
  const probe = failedAt(result);
  return probe && layerOf(probe.kind);
};
/** Whether a result's name lookup answered (a family missing included). */
const lookedUp = (result: ServiceResult) => probeOf(result, 'dns')?.status === 'up' || probeOf(result, 'dns')?.status === 'degraded';
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
  const evidence = failing.slice(0, 4).map((canary) => {
    const partial = familyFailed(canary) && probeOf(canary, 'dns')?.details.partialFailures?.[0];
    return partial ? `${canary.name} ${partial.type} ${partial.code}` : `${canary.name} ${failedAt(canary)?.code ?? canary.status}`;
  });
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
  const connecting = canaries.filter((c) => c.probes.some((p) => layerOf(p.kind) === 'transport' && p.status !== 'skipped'));
  const unrouted = connecting.length > 0 && connecting.every((c) => failedLayer(c) === 'transport');
  // Every canary that had to connect failed at TCP while only lookups answered: a resolver nearby
  // (a home router's cache) still answers when the way out is gone. Two or more, so that one
  // canary that is down is not taken for the network.
  const noWayOut = unrouted && connecting.length >= 2;
  // Interception leaves DNS answering; a broken resolver leaves connections by address working.
  if (failing.length < canaries.length && !intercepted && !noWayOut) return dnsVerdict(canaries);

  const layers: FailingLayer[] = [];
  // A refusal came back from somewhere, so there is a route: a firewall here rejecting what it
  // does not let out (or a network that lets only its proxy out) — or canaries that are closed.
  if (unrouted) layers.push(connecting.every((c) => failedAt(c)?.code === 'tcp.refused') ? 'connections refused' : 'no route');
  const dnsFailures = failing.filter((c) => failedLayer(c) === 'dns');
  const dnsCodes = dnsFailures.map((c) => failedAt(c)?.code ?? null);
  const answered = canaries.filter(lookedUp);
  // Lookups that answered show a resolver here works: those that failed went out the way that is gone.
  if (answered.length === 0 && dnsFailures.length > 0 && dnsCodes.every((code) => code === 'dns.nxdomain')) layers.push('resolver answering NXDOMAIN for everything');
  else if (answered.length === 0 && dnsFailures.length > 0 && dnsCodes.every((code) => NOT_ANSWERING.has(code))) layers.push('resolver not answering');
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
  // TLS intercepted alone: names resolve, so the resolvers that answered vouch for services' lookups.
  const vouched = layers.length === 1 && intercepted ? [...new Set(answered.flatMap((c) => resolversOf(c) ?? []))] : [];
  return {
    verdict: 'local network problem',
    scope: 'network',
    layers,
    reason: `${words.join('; ')} (${evidenceOf(failing)})`,
    ...(vouched.length > 0 ? { vouchedResolvers: vouched } : {}),
    ...(failing.length < canaries.length && !intercepted ? { tentative: true as const } : {}),
  };
}

/**
 * Whether a service that connects can contradict the verdict: a tentative one, or one that names
 * only the way out (no route, connections refused) — canaries that are all down or blocked while
 * the services on their path connect say nothing of this network.
 */
export function refutable(verdict: LocalNetworkVerdict): boolean {
  return verdict.tentative === true || verdict.layers.every((l) => l === 'no route' || l === 'connections refused');
}

/**
 * Which of a service's connections take the canaries' path: its own address's, and its status
 * page's (fetched beside the chain, so it connects even when the service's own address failed).
 * With canaries out on the internet (`internet`), a connection to loopback or the LAN says nothing
 * of the way out — judged by the address it reached, since a public-looking name can resolve to
 * this machine or the LAN (split-horizon DNS, a hosts-file entry, a Pi-hole's own address).
 */
export interface OnPath {
  own: boolean;
  status: boolean;
  internet?: boolean;
}

const EVERY_CONNECTION: OnPath = { own: true, status: true };

/** Whether a connection to `address` (`host:port`, `[v6]:port`) can speak for the canaries' path. */
function reachedPath(address: string | undefined, onPath: OnPath): boolean {
  // A connection with no address of its own to show (through a proxy) counts as it did before.
  if (!onPath.internet || address === undefined) return true;
  return !isPrivateAddress(withoutPort(address));
}

/**
 * Whether a service got a connection through on the canaries' path: the way out works for it. Its
 * status page connecting counts as its own address does: a vendor whose page refuses or times out
 * while its status page answers — with anything, a 429 too — is that vendor's outage, not this
 * network's.
 */
export function connected(service: ServiceResult, onPath: OnPath = EVERY_CONNECTION): boolean {
  return service.probes.some((p) => {
    const facts = factsOf(p);
    const own = onPath.own && layerOf(p.kind) === 'transport' && (p.status === 'up' || p.status === 'degraded') && reachedPath(facts.connectedAddress, onPath);
    return own || (onPath.status && facts.subcheckAddress !== undefined && reachedPath(facts.subcheckAddress, onPath));
  });
}

/** A verdict that services on the canaries' path contradict: one of them connected. */
export function refutedBy(verdict: LocalNetworkVerdict, services: ServiceResult[], onPath: (index: number) => OnPath = () => EVERY_CONNECTION): boolean {
  return refutable(verdict) && services.some((service, i) => connected(service, onPath(i)));
}

/**
 * The one family a result's lookup failed for (no answer, SERVFAIL, REFUSED) while the other
 * answered — when that is all that is wrong with its DNS.
 */
function familyFailed(result: ServiceResult): Family | undefined {
  const dns = probeOf(result, 'dns');
  if (!dns || dns.status !== 'degraded' || dns.details.byResolver) return undefined;
  const partial = dns.details.partialFailures ?? [];
  const types = new Set(partial.map((p) => p.type));
  const [family] = types;
  if (types.size !== 1 || !partial.every((p) => NOT_ANSWERING.has(p.code)) || (family !== 'A' && family !== 'AAAA')) return undefined;
  const other = family === 'A' ? 'AAAA' : 'A';
  return (dns.details.records ?? []).some((r) => r.type === other) ? family : undefined;
}

/** Resolvers for which every canary asking them is degraded by the same family failing. */
function familyBroken(canaries: ServiceResult[]): { found: { resolvers: string; family: Family }[]; failing: ServiceResult[] } {
  const byResolvers = new Map<string, ServiceResult[]>();
  for (const canary of canaries) {
    const resolvers = resolversOf(canary);
    if (resolvers !== undefined) byResolvers.set(resolvers, [...(byResolvers.get(resolvers) ?? []), canary]);
  }
  const found: { resolvers: string; family: Family }[] = [];
  const failing: ServiceResult[] = [];
  for (const [resolvers, group] of byResolvers) {
    const families = new Set(group.map(familyFailed));
    const [family] = families;
    if (families.size === 1 && family) {
      found.push({ resolvers, family });
      failing.push(...group);
    }
  }
  return { found, failing };
}

const whoOf = (resolvers: string) => (resolvers === 'system' ? 'the system resolver' : `resolver ${resolvers.split(',').join(', ')}`);

/** Some canaries answer: still a verdict when the ones that needed a resolver all failed in it. */
function dnsVerdict(canaries: ServiceResult[]): LocalNetworkVerdict | undefined {
  const answered = canaries.some((c) => c.status === 'up' || c.status === 'degraded');
  if (!answered) return undefined;
  const broken = brokenResolvers(canaries);
  const partly = familyBroken(canaries);
  if (broken.resolvers.length === 0 && partly.found.length === 0) return undefined;
  const layers = dnsLayers(broken.failing);
  const parts: string[] = [];
  if (broken.resolvers.length > 0) {
    parts.push(`${layers.join('; ')} — ${broken.resolvers.map(whoOf).join(' and ')} (${evidenceOf(broken.failing)}), while connections by address work`);
  }
  for (const family of ['AAAA', 'A'] as const) {
    const found = partly.found.filter((f) => f.family === family);
    if (found.length === 0) continue;
    const evidence = evidenceOf(partly.failing.filter((c) => found.some((f) => f.resolvers === resolversOf(c))));
    layers.push(`resolver not answering ${family}`);
    parts.push(`resolver not answering ${family} — ${found.map((f) => whoOf(f.resolvers)).join(' and ')} (${evidence}), while ${family === 'A' ? 'AAAA' : 'A'} answers`);
  }
  return {
    verdict: 'local network problem',
    scope: 'dns',
    // Only resolvers that fail every lookup: a name failing A and AAAA through one that answers A
    // for the canaries is that name's problem.
    brokenResolvers: broken.resolvers,
    ...(partly.found.length > 0 ? { familyFailures: partly.found } : {}),
    layers,
    reason: `DNS is broken here: ${parts.join('; ')}`,
  };
}

/**
 * A service degraded only because its lookup through a resolver broken for one family failed for
 * that family: judged on the rest, with the reason saying what was not judged. Anything else
 * that degraded or failed it still counts, as measured.
 */
function withoutFamilyFailure(service: ServiceResult, verdict: LocalNetworkVerdict): ServiceResult {
  const family = familyFailed(service);
  const resolvers = resolversOf(service);
  const dns = probeOf(service, 'dns');
  if (!family || !dns || !verdict.familyFailures?.some((f) => f.family === family && f.resolvers === resolvers)) return service;
  // Degraded by something else (a vendor incident, a side probe's say): left as it is.
  if (service.status !== 'degraded' || service.code !== dns.code) return service;
  const note = `${family} not answered by ${whoOf(resolvers ?? 'system')}, a local resolver problem (not judged)`;
  const probes = service.probes.map((p) => (p.kind === 'dns' ? { ...p, status: 'up' as const, code: null, reason: `${p.reason} — ${note}` } : p));
  const { status, cause } = worstFirst(probes.filter((p) => !isSideProbe(p.kind)));
  const measured = status === 'up' ? `${probes.filter((p) => !isSideProbe(p.kind)).at(-1)?.reason ?? 'up'}` : (cause?.reason ?? status);
  return { ...service, probes, status, code: status === 'up' ? null : (cause?.code ?? null), reason: `${measured} (${note})` };
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
    if (service.code === 'interrupted') return true;
    if (verdict.scope === 'network') return !(failedLayer(service) === 'dns' && (verdict.vouchedResolvers ?? []).includes(resolversOf(service) ?? ''));
    return failedLayer(service) === 'dns' && RESOLVER_BROKEN.has(service.code) && (verdict.brokenResolvers ?? []).includes(resolversOf(service) ?? '');
  };
  const what = verdict.scope === 'dns' ? `DNS is broken here: ${verdict.layers.join('; ')}` : verdict.layers.join('; ');
  return services.map((service) =>
    !notJudged(service)
      ? withoutFamilyFailure(service, verdict)
      : {
          ...service,
          status: 'unknown',
          code: 'network.local',
          reason: `not judged: local network problem — ${what} (${service.code === 'interrupted' ? 'stopped when the canaries failed' : `measured: ${service.code ?? service.status}`})`,
        },
  );
}
