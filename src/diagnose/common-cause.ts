/**
 * Common-cause grouping: after a run, failing services are grouped by what they share — the domain
 * their CNAMEs point into, their network (/24, /48), their certificate issuer, their failure code.
 * A group counts when two or more failing services share a value that no healthy service has:
 * "3 of 4 down services resolve through *.cdn-x.net" (the AWS 2021 pattern: one cause, many
 * services down; or Dyn 2016, many services behind one DNS provider). The order is from most to least specific; the code is the weakest hint.
 */
import { ipVersion } from '../core/ip-version.js';
import { registrableDomain, withoutPort } from '../core/domain.js';
import type { CauseKind, CommonCause } from '../core/result.js';
import type { NetworkLayer, ProbeFacts } from '../probes/kind.js';
import { factsOf, isSideProbe, layerOf } from '../probes/registry.js';
import { probeOf, type ServiceResult } from '../probes/result.js';

/** Not measurements of the services: not judged, stopped, the vendor's say, outage's own limits or bugs, a policy refusal. */
const NOT_MEASURED_FAILURES: ReadonlySet<string | null> = new Set(['network.local', 'interrupted', 'vendor.incident', 'local.resources', 'internal.error', 'tcp.forbidden']);

const ORDER: CauseKind[] = ['cname', 'ns', 'resolver', 'host', 'network', 'issuer', 'code'];

/**
 * What each kind can explain: name servers and resolvers fail lookups, a certificate issuer fails
 * handshakes. Two services answering 500 do not share a cause because one CA signed both.
 * (A CDN, a network or a code can be behind a failure at any layer.)
 */
const EXPLAINS: Partial<Record<CauseKind, NetworkLayer>> = { ns: 'dns', resolver: 'dns', issuer: 'tls' };

export function findCommonCauses(services: ServiceResult[]): CommonCause[] {
  // Only what was measured failing: not services merely not judged, nor measured up with a vendor incident.
  const failing = services.filter((s) => s.status !== 'up' && !NOT_MEASURED_FAILURES.has(s.code));
  if (failing.length < 2) return [];
  const healthy = services.filter((s) => s.status === 'up');
  const word = failing.every((s) => s.status === 'down') ? 'down' : 'failing';
  const causes: CommonCause[] = [];
  for (const kind of ORDER) {
    const healthyValues = new Set(healthy.flatMap((s) => traits(s)[kind]));
    const members = new Map<string, string[]>();
    for (const service of failing) {
      for (const value of new Set(traits(service)[kind])) members.set(value, [...(members.get(value) ?? []), service.name]);
    }
    for (const [value, names] of members) {
      if (names.length < 2 || healthyValues.has(value)) continue;
      causes.push({ kind, value, services: names, summary: `${names.length} of ${failing.length} ${word} services ${PHRASE[kind](value)}` });
    }
  }
  // Within a kind, the biggest group first; kinds keep their specificity order.
  return causes.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.services.length - a.services.length);
}

/** The lines worth printing: each group that adds services a more specific one did not name. */
export function headlineCauses(causes: CommonCause[], max = 3): CommonCause[] {
  const shown: CommonCause[] = [];
  for (const cause of causes) {
    const covered = shown.some((s) => cause.services.every((name) => s.services.includes(name)));
    if (!covered && shown.length < max) shown.push(cause);
  }
  return shown;
}

const PHRASE: Record<CauseKind, (value: string) => string> = {
  cname: (v) => `resolve through *.${v}`,
  ns: (v) => `use name servers at *.${v}`,
  resolver: (v) => `look names up through ${v === 'system' ? 'the system resolver' : `resolver ${v.split(',').join(', ')}`}`,
  host: (v) => `depend on ${v}`,
  network: (v) => `are on ${v}`,
  issuer: (v) => `have certificates issued by ${v}`,
  code: (v) => `fail with ${v}`,
};

/**
 * A configured resolver that did not answer (silence, REFUSED). An NXDOMAIN or SERVFAIL is an
 * answer — the name's own servers' doing (Facebook 2021) — and the system resolver is the
 * canaries' to judge (the local-network verdict).
 */
function resolverFailed(service: ServiceResult, resolvers: string): boolean {
  return resolvers !== 'system' && (service.code === 'dns.timeout' || service.code === 'dns.refused');
}

/** The probe a failing service's status comes from (its root cause), as judgeService chose it. */
function causeOf(service: ServiceResult) {
  return service.probes.find((p) => !isSideProbe(p.kind) && p.status === service.status);
}

function traits(service: ServiceResult): Record<CauseKind, string[]> {
  const cause = service.status === 'up' ? undefined : causeOf(service);
  // A page that answered while a host it depends on failed (an asset host, the Amazon 2020
  // pattern): the page's own name, network and certificate are not what failed — that host is.
  if (cause?.kind === 'hosts') {
    const failed = (probeOf(service, 'hosts')?.details.hosts ?? []).filter((h) => h.status !== 'up').map((h) => h.host);
    return { cname: [], ns: [], resolver: [], host: failed, network: [], issuer: [], code: service.code ? [service.code] : [] };
  }
  // What the service's probes tell; where two tell the same fact, the earlier probe wins.
  const facts: ProbeFacts = Object.assign({}, ...service.probes.map(factsOf).reverse());
  // The tcp probe's `203.0.113.5:443` without its port is the healthy service's network, so a
  // failing group on the same network is not blamed on it.
  const addresses = facts.connectedAddress ? [withoutPort(facts.connectedAddress)] : (facts.addresses ?? []);
  const layer: NetworkLayer | undefined = cause && layerOf(cause.kind);
  // A healthy service's every trait counts (what worked for it is no cause); a failing one's only where it can explain the failure.
  const explains = (kind: CauseKind) => service.status === 'up' || !cause || EXPLAINS[kind] === undefined || EXPLAINS[kind] === layer;
  const all: Record<CauseKind, string[]> = {
    cname: facts.cnameTarget ? [registrableDomain(facts.cnameTarget)] : [],
    ns: (facts.nameServers ?? []).map(registrableDomain),
    resolver: facts.resolvers && (service.status === 'up' || resolverFailed(service, facts.resolvers)) ? [facts.resolvers] : [],
    // Hosts a healthy service reached: a host that answered it is not what failed the others.
    host: service.status === 'up' ? (probeOf(service, 'hosts')?.details.hosts ?? []).filter((h) => h.status === 'up').map((h) => h.host) : [],
    network: addresses.flatMap((a) => (ipVersion(a) ? [networkOf(a)] : [])),
    issuer: facts.certificateIssuer ? [facts.certificateIssuer] : [],
    code: service.code ? [service.code] : [],
  };
  return Object.fromEntries(ORDER.map((kind) => [kind, explains(kind) ? all[kind] : []])) as Record<CauseKind, string[]>;
}

/** 203.0.113.0/24 or 2001:db8:1::/48. */
export function networkOf(address: string): string {
  if (ipVersion(address) === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = expandIpv6(address).slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.join(':')}::/48`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const fill = Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return address.includes('::') ? [...left, ...fill, ...right] : left;
}
