/**
 * What probes observe. A probe records facts and never throws for a failing target: a failure is
 * a `Failure` with a stable code. Judging facts into statuses happens later, in run/evaluate.ts.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { DnsRecordType } from '../config/schema.js';
import type { ServiceSpec } from '../config/service.js';
import type { NameResolver } from '../net/resolve.js';
import type { ProbeStatus } from '../status.js';
import type { VendorStatus } from '../vendor/types.js';

export const FAILURE_CODES = [
  'dns.nxdomain',
  'dns.servfail',
  'dns.refused',
  'dns.timeout',
  'dns.nodata',
  'dns.unexpected',
  'tcp.refused',
  'tcp.timeout',
  'tcp.reset',
  'tcp.unreachable',
  'tls.expired',
  'tls.not_yet_valid',
  'tls.hostname_mismatch',
  'tls.untrusted',
  'tls.handshake_timeout',
  'tls.handshake_failed',
  'tls.expiring',
  'http.status',
  'http.timeout',
  'http.body_timeout',
  'http.reset',
  'http.protocol',
  'http.too_many_redirects',
  'http.body_mismatch',
  'http.slow',
  'status.unavailable',
  'status.unrecognized',
  'vendor.incident',
  'network.local',
  'interrupted',
  'internal.error',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface Failure {
  code: FailureCode;
  reason: string;
}

export type ProbeKind = 'dns' | 'tcp' | 'tls' | 'http' | 'hosts' | 'status';

interface ObservationBase {
  durationMs: number;
  /** Set when the probe could not complete; later probes of the attempt are then skipped. */
  failure?: Failure;
}

export interface DnsRecord {
  type: DnsRecordType;
  value: string;
  ttl?: number;
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
  partialFailures: { type: DnsRecordType; code: FailureCode; reason: string }[];
  /** With `dns.compare`: what each compared resolver answered, side by side. */
  byResolver?: ResolverAnswer[];
}

export interface ResolverAnswer {
  resolver: string;
  /** The answers' values, sorted, when it answered. */
  values?: string[];
  failure?: Failure;
  durationMs: number;
}

export interface ConnectAttempt {
  address: string;
  durationMs: number;
  code?: FailureCode;
  error?: string;
}

export interface TcpObservation extends ObservationBase {
  kind: 'tcp';
  address?: string;
  port: number;
  attempts: ConnectAttempt[];
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  serialNumber: string;
  fingerprint256: string;
}

export interface TlsObservation extends ObservationBase {
  kind: 'tls';
  protocol?: string;
  cipher?: string;
  alpn?: string;
  authorized: boolean;
  /** OpenSSL/Node verification code such as CERT_HAS_EXPIRED, when not authorized. */
  authorizationError?: string;
  /** Certificates as the server presented them, leaf first. */
  presented: CertificateInfo[];
  /** The chain that verification follows to a trust anchor (trusted roots preferred). */
  chain: CertificateInfo[];
  /** The earliest-expiring certificate of `chain`: what actually limits the service's life. */
  earliest?: CertificateInfo;
  verify: boolean;
}

export interface HttpHop {
  url: string;
  status?: number;
  durationMs: number;
}

export interface HttpTimings {
  dns?: number;
  connect?: number;
  tls?: number;
  ttfb?: number;
  transfer?: number;
  total: number;
}

export interface HttpObservation extends ObservationBase {
  kind: 'http';
  status?: number;
  url: string;
  hops: HttpHop[];
  timings: HttpTimings;
  bodyBytes: number;
  bodyTruncated: boolean;
  contentType?: string;
  /** Decoded body (at most maxBodyBytes), kept for expectations; never put in reports. */
  body?: string;
}

/** One host a service depends on, checked as a service of its own (see config/subcheck.ts). */
export interface HostCheck {
  host: string;
  url: string;
  /** `page`: found in the page's HTML (`http.assets`); `config`: listed in `hosts`. */
  source: 'page' | 'config';
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
  /** Facts for common-cause grouping: the address connected to and the certificate issuer. */
  address?: string;
  issuer?: string;
  cnameTarget?: string;
}

export interface HostsObservation extends ObservationBase {
  kind: 'hosts';
  /** True with `http.assets`: the page was parsed for asset hosts. */
  assets: boolean;
  /** Distinct asset hosts the page references (other than its own), before the `max` cut. */
  assetHostsFound: number;
  checked: HostCheck[];
}

export interface StatusObservation extends ObservationBase {
  kind: 'status';
  url: string;
  vendor?: VendorStatus;
}

export type Observation = DnsObservation | TcpObservation | TlsObservation | HttpObservation | HostsObservation | StatusObservation;
export type ObservationOf<K extends ProbeKind> = Extract<Observation, { kind: K }>;

/**
 * What one attempt of a service shares between its probes: the DNS probe's addresses feed the TCP
 * probe, whose socket the TLS probe upgrades, which the HTTP probe then sends its request over —
 * one lookup, one connection and one handshake per attempt.
 */
export interface AttemptState {
  addresses?: string[];
  socket?: Socket;
  tlsSocket?: TLSSocket;
  timings: { dns?: number; connect?: number; tls?: number };
  startedAt: number;
}

export interface ProbeContext {
  /** Aborts at the attempt's deadline (reason DeadlineExceeded) or on interrupt (Interrupted). */
  signal: AbortSignal;
  remaining(): number;
  resolver: NameResolver;
  state: AttemptState;
  /** What the earlier probes of this attempt observed (the hosts probe reads the page). */
  observed: Partial<Record<ProbeKind, Observation>>;
  /** Run another spec (a host, a status endpoint) through every probe within this attempt's budget. */
  subcheck(spec: ServiceSpec): Promise<SubcheckOutcome>;
}

/** A subcheck judged: its worst probe, and what it observed. */
export interface SubcheckOutcome {
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
  observations: Partial<Record<ProbeKind, Observation>>;
}

export type Probe<K extends ProbeKind> = (service: ServiceSpec, context: ProbeContext) => Promise<ObservationOf<K>>;
