/**
 * Name resolution for probes. With `resolvers` set it asks exactly those servers (node's c-ares
 * Resolver); with none it behaves like the system: /etc/hosts first, then the servers from
 * /etc/resolv.conf. The c-ares path keeps the DNS rcode, which getaddrinfo would blur into
 * ENOTFOUND — and the rcode is what tells SERVFAIL (Facebook 2021) from NXDOMAIN.
 */
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { dnsTryTimeout } from '../core/budget.js';
import type { DnsRecord, DnsRecordType } from '../core/dns-record.js';
import type { Failure, FailureCode } from '../core/failure.js';

export type QueryResult = { ok: true; records: DnsRecord[]; source: 'dns' | 'hosts' } | ({ ok: false } & Failure);

export interface NameResolver {
  readonly servers: string[] | 'system';
  query(name: string, type: DnsRecordType): Promise<QueryResult>;
  /** True when the name is answered locally (/etc/hosts, localhost), without asking any server. */
  isLocal(name: string): boolean;
  /** Abort every outstanding query (they fail with dns.timeout). */
  cancel(): void;
}

export function createNameResolver(servers: readonly string[], timeoutMs: number): NameResolver {
  const resolver = new Resolver({ timeout: dnsTryTimeout(timeoutMs), tries: 4 });
  if (servers.length > 0) resolver.setServers([...servers]);
  const system = servers.length === 0;
  const described = system ? 'system' : [...servers];
  return {
    servers: described,
    cancel: () => resolver.cancel(),
    isLocal: (name) => system && (hostsFileAddresses(name, 'A') !== undefined || hostsFileAddresses(name, 'AAAA') !== undefined),
    async query(name, type) {
      if (system && (type === 'A' || type === 'AAAA')) {
        const fromHosts = hostsFileAddresses(name, type);
        if (fromHosts) return { ok: true, source: 'hosts', records: fromHosts.map((value) => ({ type, value })) };
      }
      try {
        return { ok: true, source: 'dns', records: await queryType(resolver, name, type) };
      } catch (error) {
        return { ok: false, ...dnsFailure(error, name, type, described) };
      }
    },
  };
}

async function queryType(resolver: Resolver, name: string, type: DnsRecordType): Promise<DnsRecord[]> {
  switch (type) {
    case 'A':
      return (await resolver.resolve4(name, { ttl: true })).map((r) => ({ type, value: r.address, ttl: r.ttl }));
    case 'AAAA':
      return (await resolver.resolve6(name, { ttl: true })).map((r) => ({ type, value: r.address, ttl: r.ttl }));
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((value) => ({ type, value }));
    case 'NS':
      return (await resolver.resolveNs(name)).map((value) => ({ type, value }));
    case 'MX':
      return (await resolver.resolveMx(name)).map((r) => ({ type, value: `${r.priority} ${r.exchange}` }));
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => ({ type, value: chunks.join('') }));
    case 'SOA': {
      const soa = await resolver.resolveSoa(name);
      return [{ type, value: `${soa.nsname} ${soa.hostmaster} ${soa.serial}`, ttl: soa.minttl }];
    }
    case 'CAA':
      return (await resolver.resolveCaa(name)).map((r) => {
        // Node 24 adds `type: 'CAA'` beside the flag and the one property (issue, iodef, …).
        const [tag, value] = Object.entries(r).find(([key]) => key !== 'critical' && key !== 'type') ?? ['?', ''];
        return { type, value: `${r.critical} ${tag} "${String(value)}"` };
      });
  }
}

const DNS_ERRORS: Record<string, [FailureCode, string]> = {
  ENOTFOUND: ['dns.nxdomain', 'does not exist (NXDOMAIN)'],
  EBADNAME: ['dns.nxdomain', 'is not a valid DNS name'],
  ENODATA: ['dns.nodata', 'exists but has no {type} record'],
  ESERVFAIL: ['dns.servfail', 'resolver answered SERVFAIL'],
  EREFUSED: ['dns.refused', 'resolver refused the query (REFUSED)'],
  ETIMEOUT: ['dns.timeout', 'resolver did not answer in time'],
  ECANCELLED: ['dns.timeout', 'no answer before the deadline'],
  ECONNREFUSED: ['dns.timeout', 'resolver not answering (connection refused)'],
  EFORMERR: ['dns.servfail', 'resolver answered FORMERR'],
  EBADRESP: ['dns.servfail', 'resolver sent a malformed answer'],
  ENOTIMP: ['dns.refused', 'resolver does not implement this query (NOTIMP)'],
};

function dnsFailure(error: unknown, name: string, type: DnsRecordType, servers: string[] | 'system'): Failure {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const [failure, text] = DNS_ERRORS[code] ?? ['dns.servfail', `lookup failed (${code || String(error)})`];
  const via = servers === 'system' ? '' : ` via ${servers.join(', ')}`;
  return { code: failure, reason: `${name} ${text.replace('{type}', type)}${via}` };
}

let hostsCache: Map<string, string[]> | undefined;

/** /etc/hosts and RFC 6761 `localhost` names, as getaddrinfo would answer them. */
function hostsFileAddresses(name: string, type: 'A' | 'AAAA'): string[] | undefined {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost')) return [type === 'A' ? '127.0.0.1' : '::1'];
  hostsCache ??= parseHostsFile(readHostsFile());
  const addresses = hostsCache.get(lower)?.filter((a) => a.includes(':') === (type === 'AAAA'));
  return addresses && addresses.length > 0 ? addresses : undefined;
}

function readHostsFile(): string {
  try {
    return readFileSync('/etc/hosts', 'utf8');
  } catch {
    return '';
  }
}

export function parseHostsFile(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    for (const host of names) {
      const key = host.toLowerCase();
      map.set(key, [...(map.get(key) ?? []), address]);
    }
  }
  return map;
}
