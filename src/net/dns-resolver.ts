/**
 * DNS queries for probes, keeping the rcode (what tells SERVFAIL — Facebook 2021 — from NXDOMAIN,
 * which getaddrinfo blurs into one ENOTFOUND). With `resolvers` set it asks exactly those servers;
 * with none it asks the system's (those of /etc/resolv.conf), after /etc/hosts and `localhost`.
 * The addresses a service connects to come from address-resolution.ts, which with no `resolvers`
 * asks getaddrinfo; these queries then only classify a failure or report records.
 */
import { dnsTryTimeout } from '../core/budget.js';
import type { DnsRecord, DnsRecordType } from '../core/dns-record.js';
import type { Failure } from '../core/failure.js';
import { isLocalhostName } from '../core/domain.js';
import { interpretResponse } from './dns-answer.js';
import { askServers, transportFailure, type Seen } from './dns-tries.js';
import { DnsTransportError, parseServer, type DnsServer } from './dns-wire.js';
import { hostsFileAddresses } from './hosts-file.js';
import type { LocalCause } from './open-file-limit.js';
import { searchNames, systemDnsServers } from './resolv-conf.js';

export type QueryResult = { ok: true; records: DnsRecord[]; chain: string[]; source: 'dns' | 'hosts' } | ({ ok: false; chain: string[] } & Failure);

export interface NameResolver {
  readonly servers: string[] | 'system';
  /**
   * Through the system's servers an A or AAAA name goes through resolv.conf's search list, as
   * getaddrinfo asks it; every other type (the report's CNAME and NS walk too) is asked for the
   * name as written, as dig asks it.
   */
  query(name: string, type: DnsRecordType): Promise<QueryResult>;
  /**
   * True when the name is answered locally, without asking any server: `localhost` always (RFC
   * 6761, as curl answers it even with --dns-servers), a hosts-file name only through the system.
   */
  isLocal(name: string): boolean;
  /** Abort every outstanding query, and any asked later (they fail with dns.timeout). */
  cancel(): void;
  /** Aborted by `cancel()`: the attempt is over, so lookups it queued can be withdrawn. */
  readonly cancelled: AbortSignal;
  /**
   * Why a query had to wait on outage's own limits (an errno such as EMFILE, or `busy`: every
   * socket slot taken); undefined when none did. A lookup unanswered at the deadline is then not
   * the resolver's silence.
   */
  heldUp(): LocalCause | undefined;
  /**
   * The servers that let a try of this resolver's time out and never answered it, while another
   * server did (getaddrinfo waits out resolv.conf's `timeout:` on such a one too). A server that
   * answered late, or the only one asked, is the name's slow DNS, not a dead nameserver.
   */
  silentServers(): string[];
}

/**
 * Every attempt cancels its resolver when it ends; abort() without a reason makes a DOMException,
 * stack trace and all (~15 µs, at every service). Nothing reads the reason: one will do.
 */
const ATTEMPT_OVER = new Error('the attempt is over');


export function createNameResolver(servers: readonly string[], timeoutMs: number): NameResolver {
  const system = servers.length === 0;
  // The system's servers are read at the first query: node:dns need not load for a check of addresses.
  let asked: DnsServer[] | undefined;
  const tryTimeoutMs = dnsTryTimeout(timeoutMs);
  const controller = new AbortController();
  let held: LocalCause | undefined;
  const hold = (cause: LocalCause) => (held = held === undefined || held === 'busy' ? cause : held);
  const seen: Seen = { silent: new Set(), answered: new Set() };
  return {
    servers: system ? 'system' : [...servers],
    cancel: () => controller.abort(ATTEMPT_OVER),
    cancelled: controller.signal,
    heldUp: () => held,
    silentServers: () => {
      const silent = [...seen.silent].filter((label) => !seen.answered.has(label));
      return silent.length > 0 && [...seen.answered].some((label) => !seen.silent.has(label)) ? silent : [];
    },
    // Configured servers are asked for every other name exactly as written, /etc/hosts names
    // included (as dig asks them); localhost too made a healthy local service down behind a
    // resolver with no localhost zone (Windows DNS, a forwarder to the root: NXDOMAIN).
    isLocal: (name) => isLocalhostName(name) || (system && (hostsFileAddresses(name, 'A') !== undefined || hostsFileAddresses(name, 'AAAA') !== undefined)),
    async query(name, type) {
      if ((system || isLocalhostName(name)) && (type === 'A' || type === 'AAAA')) {
        const fromHosts = hostsFileAddresses(name, type);
        if (fromHosts) return { ok: true, source: 'hosts', chain: [], records: fromHosts.map((value) => ({ type, value })) };
      }
      if (!isValidDnsName(name)) return { ok: false, chain: [], code: 'dns.nxdomain', reason: `${name} is not a valid DNS name` };
      asked ??= (system ? systemDnsServers() : [...servers]).map(parseServer);
      if (asked.length === 0) return { ok: false, chain: [], code: 'dns.timeout', reason: `${name}: no DNS server to ask (/etc/resolv.conf lists none)` };
      const to = asked;
      const askOne = async (candidate: string): Promise<QueryResult> => {
        const response = await askServers(to, candidate, type, { tryTimeoutMs, timeoutMs }, controller.signal, hold, seen);
        if (response instanceof DnsTransportError) {
          return { ok: false, chain: [], ...transportFailure(response, candidate, to, { tryTimeoutMs, timeoutMs, system }) };
        }
        const read = interpretResponse(candidate, type, response);
        if (read.ok) return { ...read, source: 'dns' };
        return { ...read, reason: system ? read.reason : `${read.reason} via ${servers.join(', ')}` };
      };
      // Addresses are asked of the system's servers as getaddrinfo asks them, through resolv.conf's
      // search list; other types as dig asks them, the name as written (a search domain's
      // wildcard TXT or MX is not the name's).
      return system && (type === 'A' || type === 'AAAA') ? searched(name, askOne) : askOne(name);
    },
  };
}

/**
 * A name asked as glibc's res_search asks it (`host`, `getent` and getaddrinfo alike), so a DNS
 * check of `intranet` — or of `app.corp` under `ndots:2` — finds what every program here finds,
 * instead of being down `dns.nxdomain` for the bare name. Each candidate in turn until one answers;
 * NXDOMAIN, "no record" and SERVFAIL go on to the next, any other failure ends the search domains
 * (the name as given is still asked). Which failure is the name's is glibc's choice too: the name
 * as given, when it was asked first; else "no record" if any name had it, else SERVFAIL if any,
 * else the last.
 */
async function searched(name: string, askOne: (candidate: string) => Promise<QueryResult>): Promise<QueryResult> {
  const { names, asGivenFirst } = searchNames(name);
  const [only] = names;
  if (names.length === 1 && only !== undefined) return askOne(only);
  const failures: Extract<QueryResult, { ok: false }>[] = [];
  let stopped = false;
  for (const candidate of names) {
    if (stopped && candidate !== name) continue;
    if (!isValidDnsName(candidate)) continue;
    const result = await askOne(candidate);
    if (result.ok) return result;
    failures.push(result);
    if (!['dns.nxdomain', 'dns.nodata', 'dns.servfail'].includes(result.code)) stopped = true;
  }
  const first = asGivenFirst ? failures[0] : undefined;
  const chosen = first ?? failures.find((f) => f.code === 'dns.nodata') ?? failures.find((f) => f.code === 'dns.servfail') ?? failures.at(-1);
  if (!chosen) return { ok: false, chain: [], code: 'dns.nxdomain', reason: `${name} is not a valid DNS name` };
  return { ...chosen, reason: `${chosen.reason} (asked as ${names.join(', ')}: resolv.conf's search list)` };
}

/** RFC 1035 limits: labels of 1–63 octets, 253 in all (the root's dot aside). */
function isValidDnsName(name: string): boolean {
  const bare = name.replace(/\.$/, '');
  return bare.length > 0 && bare.length <= 253 && bare.split('.').every((label) => label.length > 0 && label.length <= 63);
}
