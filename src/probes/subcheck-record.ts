/**
 * What a subcheck observed: a host or status endpoint run through the chain probes (DNS, TCP,
 * TLS, HTTP) inside its parent's attempt. Observations only — the judge decides what they mean.
 */
import type { ProbeKind } from '../core/probe-kind.js';
import type { DnsObservation } from './dns/observation.js';
import type { HttpObservation } from './http/observation.js';
import type { TcpObservation } from './tcp/observation.js';
import type { TlsObservation } from './tls/observation.js';

export interface ChainObserved {
  dns?: DnsObservation;
  tcp?: TcpObservation;
  tls?: TlsObservation;
  http?: HttpObservation;
}

/** A probe threw: a bug in outage, reported as `internal.error` (unknown), never a crash. */
export interface ProbeCrash {
  kind: ProbeKind;
  reason: string;
}

export interface SubcheckRecord {
  observations: ChainObserved;
  crashed?: ProbeCrash;
  durationMs: number;
}
