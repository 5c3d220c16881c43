/**
 * DNS probe. For a url/tcp service it resolves the addresses to connect to (address-resolution.ts:
 * the system's getaddrinfo, or the configured resolvers) and ends as soon as connecting may start
 * (RFC 8305), handing the TCP probe a feed that later answers still join, and leaving the attempt
 * the family still out to settle before it is judged; it records the CNAME
 * chain and name servers for the report. For a DNS-only service it queries the configured type.
 */
import { registrableDomain } from '../../core/domain.js';
import type { DnsRecordType } from '../../core/dns-record.js';
import { isLocalFailure, type Failure } from '../../core/failure.js';
import { explainNoAddress, familyFailures, resolveAddresses, type AddressResolution } from '../../net/address-resolution.js';
import { mostSevere } from '../../net/dns-answer.js';
import { createNameResolver, type NameResolver, type QueryResult } from '../../net/dns-resolver.js';
import type { Probe, ProbeContext } from '../contract.js';
import type { DnsObservation, ResolverAnswer } from './observation.js';

const MAX_CNAME_HOPS = 8;
/**
 * The CNAME chain and name servers are for the report, not for connecting: once the addresses are
 * in, they get this long to finish, so a slow query never delays the probe (or makes it look slow).
 */
const CNAME_GRACE_MS = 50;

export const probeDns: Probe<DnsObservation> = async (service, context) => {
  const started = performance.now();
  const spec = service.dns;
  const name = spec ? spec.name : (service.endpoint?.host ?? service.target);
  const comparison = spec && spec.compare ? compareResolvers(spec.compare, name, spec.types, context) : undefined;
  const observation = service.endpoint ? await observeAddresses(name, context) : await observeRecords(name, spec ? spec.types : ['A', 'AAAA'], context);
  // The lookup the service depends on is done: that is the DNS phase. Waiting for the compared
  // resolvers is not, and must not make the service look slow.
  observation.durationMs = performance.now() - started;
  context.state.timings.dns = observation.durationMs;
  if (comparison) observation.byResolver = await comparison;
  return observation;
};

function emptyObservation(name: string, resolver: NameResolver): DnsObservation {
  return { kind: 'dns', name, resolvers: resolver.servers, source: 'dns', records: [], cnameChain: [], partialFailures: [], durationMs: 0 };
}

/** A url/tcp service: the addresses, as the connection will use them. */
async function observeAddresses(name: string, context: ProbeContext): Promise<DnsObservation> {
  const resolver = context.resolver;
  const observation = emptyObservation(name, resolver);
  // Hosts-file names have no CNAMEs, and a short name is the search domains' business: asking a
  // server about either would only add latency (and leak the name).
  const walkChain: string[] = [];
  const nameServers: string[] = [];
  const remote = !resolver.isLocal(name) && name.includes('.');
  const walk = remote ? Promise.all([followCnames(resolver, name, walkChain), findNameServers(resolver, name, nameServers)]) : Promise.resolve();

  const resolution = resolveAddresses(name, resolver, context.signal);
  context.state.addressFeed = resolution.feed;
  await resolution.ready;
  const answers = resolution.answers();
  observation.source = resolution.mode === 'hosts' ? 'hosts' : 'dns';
  observation.records = answers.flatMap((a) => a.records);
  if (resolution.usable().length === 0) {
    observation.failure = await explainNoAddress(resolution, name, resolver, context.signal);
  } else if (resolution.mode !== 'hosts') {
    const pending = resolution.pending();
    if (pending.length > 0) observation.pending = pending;
    if (resolution.mode === 'servers') observation.partialFailures = partlyFailed(answers.flatMap((a) => (a.failure ? [{ ...a.failure, type: a.type }] : [])));
    // Connecting starts now; the family still out (and the system's word on a missing one) is
    // settled in the background, and the attempt waits for it — within its budget — before it is
    // judged: an AAAA that fails at the authoritative server degrades the name.
    context.state.settling = settleFamilies(observation, resolution, name, context);
  }
  await withGrace(walk);
  // getaddrinfo waited on these while another server answered (their silence is known from the
  // walk, asked beside it, and within its grace when both wait the same): this machine's
  // resolv.conf, not the name, took the time. So did a configured resolver that let a try time
  // out before the next one answered (`--resolver` with the first one gone): the list's wait.
  const silent = resolution.mode !== 'hosts' && resolution.usable().length > 0 ? resolver.silentServers() : [];
  if (silent.length > 0 && resolution.mode === 'system') context.state.silentNameservers = silent;
  if (silent.length > 0 && resolution.mode === 'servers') context.state.silentResolvers = silent;
  const answerChain = answers.map((a) => a.chain).reduce((longest, chain) => (chain.length > longest.length ? chain : longest), [] as string[]);
  observation.cnameChain = answerChain.length ? [...answerChain] : [...walkChain];
  if (nameServers.length) observation.nameServers = [...nameServers];
  return observation;
}

async function settleFamilies(observation: DnsObservation, resolution: AddressResolution, name: string, context: ProbeContext): Promise<void> {
  await resolution.settled;
  const failures = await familyFailures(resolution, name, context.resolver, context.signal);
  observation.partialFailures = partlyFailed(failures);
  const pending = resolution.pending().filter((type) => !failures.some((f) => f.type === type));
  if (pending.length > 0) observation.pending = pending;
  else delete observation.pending;
}

/** A DNS-only service: the configured record types. */
async function observeRecords(name: string, types: DnsRecordType[], context: ProbeContext): Promise<DnsObservation> {
  const observation = emptyObservation(name, context.resolver);
  const results = await Promise.all(types.map(async (type) => ({ type, result: await context.resolver.query(name, type) })));
  observation.source = results.some(({ result }) => result.ok && result.source === 'hosts') ? 'hosts' : 'dns';
  observation.records = results.flatMap(({ result }) => (result.ok ? result.records : []));
  observation.cnameChain = results.find(({ result }) => result.chain.length > 0)?.result.chain ?? [];
  const failures = results.flatMap(({ type, result }) => (result.ok ? [] : [{ type, ...failureOf(result) }]));
  if (observation.records.length === 0 && failures.length > 0) observation.failure = mostSevere(failures, name, types);
  else observation.partialFailures = failures.filter(judgedPartly);
  return observation;
}

/**
 * A type that failed while another answered degrades the name — unless it has no record (normal)
 * or outage could not ask for it (its own limits say nothing of the name).
 */
function judgedPartly(failure: Failure): boolean {
  return failure.code !== 'dns.nodata' && !isLocalFailure(failure.code);
}

function partlyFailed(failures: (Failure & { type: DnsRecordType })[]): DnsObservation['partialFailures'] {
  return failures.filter(judgedPartly).map(({ type, code, reason }) => ({ type, code, reason }));
}

async function withGrace(work: Promise<unknown>): Promise<void> {
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (grace = setTimeout(resolve, CNAME_GRACE_MS)))]);
  clearTimeout(grace);
}

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

/**
 * The name servers of the name's domain, for grouping failures by DNS provider (Dyn 2016). Asked
 * beside the CNAME walk, within the same grace: it never delays the probe.
 */
async function findNameServers(resolver: NameResolver, name: string, into: string[]): Promise<void> {
  const result = await resolver.query(registrableDomain(name), 'NS');
  if (result.ok) into.push(...result.records.map((r) => r.value.toLowerCase().replace(/\.$/, '')).sort());
}

/**
 * Appends the CNAME hops from `name` to `chain`, asking for each hop's CNAME: a resolver that fails
 * the address query (SERVFAIL behind a dead CDN) may still answer these, and the chain is what
 * groups such failures by provider. A lookup failure here just ends the chain.
 */
async function followCnames(resolver: NameResolver, name: string, chain: string[]): Promise<void> {
  let current = name;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
    const result = await resolver.query(current, 'CNAME');
    const target = result.ok ? result.records[0]?.value : undefined;
    if (!target || target === name || chain.includes(target)) break;
    chain.push(target);
    current = target;
  }
}
