/**
 * DNS probe. For a url/tcp service it resolves A and AAAA (as a browser does, so IPv6-only hosts
 * work), records the CNAME chain, and hands the addresses to the TCP probe: one lookup per
 * service, so `resolvers` apply to HTTP too. For a DNS-only service it queries the configured type.
 */
import { registrableDomain } from '../../core/domain.js';
import type { DnsRecordType } from '../../core/dns-record.js';
import type { Failure, FailureCode } from '../../core/failure.js';
import { createNameResolver, type NameResolver, type QueryResult } from '../../net/dns-resolver.js';
import type { Probe, ProbeContext } from '../contract.js';
import type { DnsObservation, ResolverAnswer } from './observation.js';

const SEVERITY: FailureCode[] = ['dns.nxdomain', 'dns.servfail', 'dns.refused', 'dns.timeout', 'dns.nodata'];
const MAX_CNAME_HOPS = 8;
/**
 * The CNAME chain is for the report, not for connecting: once the addresses are in, it gets this
 * long to finish, so a slow CNAME query never delays the probe (or makes it look slow).
 */
const CNAME_GRACE_MS = 50;

export const probeDns: Probe<DnsObservation> = async (service, context) => {
  const started = performance.now();
  const spec = service.dns;
  const name = spec ? spec.name : (service.endpoint?.host ?? service.target);
  const types: DnsRecordType[] = spec ? spec.types : ['A', 'AAAA'];
  const forAddresses = service.endpoint !== undefined;

  const comparison = spec && spec.compare ? compareResolvers(spec.compare, name, types, context) : undefined;
  // Names from /etc/hosts have no CNAMEs; asking a server about them would only add latency.
  const cnameChain: string[] = [];
  const nameServers: string[] = [];
  const remote = forAddresses && !context.resolver.isLocal(name);
  const walk = remote ? Promise.all([followCnames(context.resolver, name, cnameChain), findNameServers(context.resolver, name, nameServers)]) : Promise.resolve();
  const results = await Promise.all(types.map(async (type) => ({ type, result: await context.resolver.query(name, type) })));
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([walk, new Promise<void>((resolve) => (grace = setTimeout(resolve, CNAME_GRACE_MS)))]);
  clearTimeout(grace);

  const observation: DnsObservation = {
    kind: 'dns',
    name,
    resolvers: context.resolver.servers,
    source: results.some(({ result }) => result.ok && result.source === 'hosts') ? 'hosts' : 'dns',
    records: results.flatMap(({ result }) => (result.ok ? result.records : [])),
    cnameChain: [...cnameChain],
    ...(nameServers.length ? { nameServers: [...nameServers] } : {}),
    partialFailures: [],
    durationMs: 0,
  };
  const failures = results.flatMap(({ type, result }) => (result.ok ? [] : [{ type, ...failureOf(result) }]));
  if (observation.records.length === 0 && failures.length > 0) {
    observation.failure = mostSevere(failures, name, types);
  } else {
    observation.partialFailures = failures.filter((f) => f.code !== 'dns.nodata');
  }
  if (forAddresses && !observation.failure) {
    context.state.addresses = observation.records.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.value);
  }
  // The lookup the service depends on is done: that is the DNS phase. Waiting for the compared
  // resolvers is not, and must not make the service look slow.
  observation.durationMs = performance.now() - started;
  context.state.timings.dns = observation.durationMs;
  if (comparison) observation.byResolver = await comparison;
  return observation;
};

/**
 * Compared resolvers get at most this long, and at most half of what is left of the attempt, so a
 * silent one is reported while the connection still has time.
 */
const COMPARE_BUDGET_MS = 3000;

/** Ask each resolver for the same records, side by side. */
async function compareResolvers(resolvers: string[], name: string, types: DnsRecordType[], context: ProbeContext): Promise<ResolverAnswer[]> {
  const budget = Math.max(1, Math.min(COMPARE_BUDGET_MS, context.remaining() / 2));
  return Promise.all(
    resolvers.map(async (resolver) => {
      const started = performance.now();
      const asked = createNameResolver(resolver === 'system' ? [] : [resolver], budget);
      const stop = () => asked.cancel();
      const timer = setTimeout(stop, budget);
      context.signal.addEventListener('abort', stop, { once: true });
      try {
        const results = await Promise.all(types.map((type) => asked.query(name, type)));
        const values = results.flatMap((r) => (r.ok ? r.records.map((rec) => rec.value) : [])).sort();
        const failures = results.flatMap((r, i) => (r.ok ? [] : [{ type: types[i] as DnsRecordType, ...failureOf(r) }]));
        const durationMs = performance.now() - started;
        if (values.length === 0 && failures.length > 0) return { resolver, failure: mostSevere(failures, name, types), durationMs };
        return { resolver, values, durationMs };
      } finally {
        clearTimeout(timer);
        context.signal.removeEventListener('abort', stop);
        asked.cancel();
      }
    }),
  );
}

function failureOf(result: QueryResult): Failure {
  return result.ok ? { code: 'dns.unexpected', reason: '' } : { code: result.code, reason: result.reason };
}

function mostSevere(failures: (Failure & { type: DnsRecordType })[], name: string, types: DnsRecordType[]): Failure {
  const ranked = [...failures].sort((a, b) => SEVERITY.indexOf(a.code) - SEVERITY.indexOf(b.code));
  const top = ranked[0] as Failure;
  if (top.code === 'dns.nodata' && types.length > 1) {
    return { code: 'dns.nodata', reason: `${name} exists but has no ${types.join(' or ')} record` };
  }
  return { code: top.code, reason: top.reason };
}

/**
 * The name servers of the name's domain, for grouping failures by DNS provider (Dyn 2016). Asked
 * beside the CNAME walk, within the same grace: it never delays the probe.
 */
async function findNameServers(resolver: NameResolver, name: string, into: string[]): Promise<void> {
  const result = await resolver.query(registrableDomain(name), 'NS');
  if (result.ok) into.push(...result.records.map((r) => r.value.toLowerCase().replace(/\.$/, '')).sort());
}

/** Appends the CNAME hops from `name` to `chain`; a lookup failure here just ends the chain. */
async function followCnames(resolver: NameResolver, name: string, chain: string[]): Promise<void> {
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const result = await resolver.query(current, 'CNAME');
    const target = result.ok ? result.records[0]?.value : undefined;
    if (!target || chain.includes(target)) break;
    chain.push(target);
    current = target;
  }
}
