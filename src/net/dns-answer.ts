/**
 * Reading a DNS response as a stub resolver must: follow the CNAME chain from the name asked,
 * take records only from the chain's last name (a record for any other name is ignored, as glibc
 * ignores it), and name the real cause when no record is left — a chain that ends nowhere
 * (dangling) or comes back to itself (a loop).
 */
import type { DnsRecord, DnsRecordType } from '../core/dns-record.js';
import type { Failure, FailureCode } from '../core/failure.js';
import { sameName, type DnsResponse, type RecordAnswer } from './dns-wire.js';

/** Longer chains are treated as broken: resolvers give up around 8–16 restarts. */
export const MAX_CNAME_HOPS = 16;

export type Interpreted = { ok: true; records: DnsRecord[]; chain: string[] } | ({ ok: false; chain: string[] } & Failure);

export function interpretResponse(name: string, type: DnsRecordType, response: DnsResponse): Interpreted {
  const answers = response.answers.filter((a) => a.class === undefined || a.class === 'IN');
  const chain: string[] = [];
  let current = name;
  // A CNAME query is answered by the name's own CNAME; every other type follows the chain.
  while (type !== 'CNAME') {
    const cname = answers.find((a) => a.type === 'CNAME' && sameName(a.name, current));
    if (!cname) break;
    const target = bare(String(cname.data));
    if (sameName(target, name) || chain.some((hop) => sameName(hop, target))) {
      return { ok: false, chain, code: 'dns.servfail', reason: `CNAME loop: ${[name, ...chain, target].join(' → ')}` };
    }
    chain.push(target);
    if (chain.length > MAX_CNAME_HOPS) {
      return { ok: false, chain, code: 'dns.servfail', reason: `${name}: CNAME chain longer than ${MAX_CNAME_HOPS} hops` };
    }
    current = target;
  }
  const records = answers.filter((a) => a.type === type && sameName(a.name, current)).map((a) => toRecord(type, a));
  const failure = rcodeFailure(response.rcode, name, type, chain, records.length > 0);
  if (failure) return { ok: false, chain, ...failure };
  if (records.length > 0) return { ok: true, records, chain };
  const strangers = [...new Set(answers.filter((a) => a.type === type).map((a) => bare(a.name)))];
  const ignored = strangers.length ? ` (an answer for ${strangers.join(', ')} was ignored: not the name asked)` : '';
  const empty = noRecord(name, type, chain, 'has no {type} record');
  return { ok: false, chain, code: empty.code, reason: `${empty.reason}${ignored}` };
}

const RCODES: Record<string, [FailureCode, string]> = {
  SERVFAIL: ['dns.servfail', 'resolver answered SERVFAIL'],
  REFUSED: ['dns.refused', 'resolver refused the query (REFUSED)'],
  NOTIMP: ['dns.refused', 'resolver does not implement this query (NOTIMP)'],
  FORMERR: ['dns.servfail', 'resolver answered FORMERR'],
};

function rcodeFailure(rcode: string, name: string, type: DnsRecordType, chain: string[], hasRecords: boolean): Failure | undefined {
  if (rcode === 'NOERROR') return undefined;
  if (rcode === 'NXDOMAIN') return noRecord(name, type, chain, 'does not exist (NXDOMAIN)');
  if (hasRecords && !RCODES[rcode]) return undefined;
  const [code, text] = RCODES[rcode] ?? ['dns.servfail', `resolver answered ${rcode}`];
  return { code, reason: `${describeChain(name, chain)} ${text}` };
}

/**
 * No record: the name itself is missing (NXDOMAIN) or empty (NODATA). Behind a CNAME the name asked
 * does exist — its alias points at nothing — so that is `dns.nodata`, naming the chain.
 */
function noRecord(name: string, type: DnsRecordType, chain: string[], text: string): Failure {
  const last = chain.at(-1);
  const what = text.replace('{type}', type);
  if (!last) return { code: what.includes('NXDOMAIN') ? 'dns.nxdomain' : 'dns.nodata', reason: `${name} ${what.startsWith('has') ? `exists but ${what}` : what}` };
  return { code: 'dns.nodata', reason: `${describeChain(name, chain)}: ${last} ${what} (dangling CNAME)` };
}

function describeChain(name: string, chain: string[]): string {
  return [name, ...chain].join(' → ');
}

function bare(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function toRecord(type: DnsRecordType, answer: RecordAnswer): DnsRecord {
  const ttl = answer.ttl;
  const data: unknown = answer.data;
  switch (type) {
    case 'A':
    case 'AAAA':
      return { type, value: String(data), ...(ttl !== undefined ? { ttl } : {}) };
    case 'CNAME':
    case 'NS':
      return { type, value: bare(String(data)) };
    case 'MX': {
      const mx = data as { preference: number; exchange: string };
      return { type, value: `${mx.preference} ${bare(mx.exchange)}` };
    }
    case 'TXT':
      return { type, value: (Array.isArray(data) ? data : [data]).map((chunk: Buffer | string) => chunk.toString()).join('') };
    case 'SOA': {
      const soa = data as { mname: string; rname: string; serial: number; minimum: number };
      return { type, value: `${bare(soa.mname)} ${bare(soa.rname)} ${soa.serial}`, ttl: soa.minimum };
    }
    case 'CAA': {
      const caa = data as { flags?: number; tag: string; value: string };
      return { type, value: `${caa.flags ?? 0} ${caa.tag} "${caa.value}"` };
    }
  }
}

/**
 * When every type failed, the strongest statement wins: a name that does not exist says most. A
 * type outage could not ask (local.resources) outranks "no record of the other type", which alone
 * would call the name empty.
 */
const SEVERITY: FailureCode[] = ['dns.nxdomain', 'dns.servfail', 'dns.refused', 'dns.timeout', 'local.resources', 'dns.nodata'];

export function mostSevere(failures: (Failure & { type: DnsRecordType })[], name: string, types: readonly DnsRecordType[]): Failure {
  const ranked = [...failures].sort((a, b) => SEVERITY.indexOf(a.code) - SEVERITY.indexOf(b.code));
  const top = ranked[0] as Failure & { type: DnsRecordType };
  if (top.code === 'dns.nodata' && types.length > 1) {
    // "has no A record" said of both families is "has no A or AAAA record".
    return { code: 'dns.nodata', reason: top.reason.replace(`no ${top.type} record`, `no ${types.join(' or ')} record`) };
  }
  return { code: top.code, reason: top.reason };
}
