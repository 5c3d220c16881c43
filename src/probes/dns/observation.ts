/** What the DNS probe sees, and the part of it the report carries. */
import type { DnsRecord, DnsRecordType } from '../../core/dns-record.js';
import type { Failure, FailureCode } from '../../core/failure.js';
import type { ObservationBase } from '../../core/observation.js';

export interface ResolverAnswer {
  resolver: string;
  /** The answers' values, sorted, when it answered. */
  values?: string[];
  failure?: Failure;
  durationMs: number;
}

export interface PartialDnsFailure {
  type: DnsRecordType;
  code: FailureCode;
  reason: string;
}

export interface DnsObservation extends ObservationBase {
  kind: 'dns';
  name: string;
  /** `system` or the resolver addresses asked. */
  resolvers: string[] | 'system';
  source: 'dns' | 'hosts';
  records: DnsRecord[];
  /** CNAME hops from the queried name to the canonical name. */
  cnameChain: string[];
  /** The name servers of the name's registrable domain, when they answered within the grace. */
  nameServers?: string[];
  /** Per record type that failed while another answered (e.g. AAAA SERVFAIL, A fine). */
  partialFailures: PartialDnsFailure[];
  /**
   * Address families still unanswered when connecting began (RFC 8305: an A answer waits 50 ms
   * for AAAA, then connecting starts). The attempt awaits them before it is judged (a failure or
   * the deadline is a partial failure); one left here was not judged: the attempt was
   * interrupted, outage's own limits kept it from asking, or a later probe failed.
   */
  pending?: DnsRecordType[];
  /** With `dns.compare`: what each compared resolver answered, side by side. */
  byResolver?: ResolverAnswer[];
}

/** In the report: partial failures only when there are some. */
export type DnsDetails = Pick<DnsObservation, 'name' | 'resolvers' | 'source' | 'records' | 'cnameChain' | 'nameServers' | 'byResolver' | 'pending'> & {
  partialFailures?: PartialDnsFailure[];
};
