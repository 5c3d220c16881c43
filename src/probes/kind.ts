/**
 * What a probe kind is: everything outage knows about it, in its own folder — how it observes,
 * how its observation is judged, what the report keeps of it, and what it adds to each output.
 * Nothing outside src/probes/<kind>/ and the registry branches on the kind.
 */
import type { Failure, FailureCode } from '../core/failure.js';
import type { ProbeKind } from '../core/probe-kind.js';
import type { Judgement, PhaseTimings } from '../core/result.js';
import type { ServiceSpec } from '../config/service.js';
import type { Probe } from './contract.js';
import type { ObservationOf } from './observation.js';
import type { DetailsByKind, ProbeResultOf, ServiceResult } from './result.js';
import type { SubcheckRecord } from './subcheck-record.js';

/** What a kind's judgement may ask of the judge: how a subcheck it ran came out. */
export interface JudgeContext {
  judgeSubcheck(record: SubcheckRecord, spec: ServiceSpec): Judgement;
}

/**
 * The network layer a kind observes. The local-network diagnosis reasons about layers (no route,
 * resolver broken, TLS intercepted), not about kinds.
 */
export type NetworkLayer = 'dns' | 'transport' | 'proxy' | 'tls' | 'application' | 'vendor';

/**
 * Facts about a probe's result that outputs and diagnosis use without knowing the kind: each
 * kind fills in the ones it has.
 */
export interface ProbeFacts {
  /** Addresses the name resolved to. */
  addresses?: string[];
  /** host:port actually connected to. */
  connectedAddress?: string;
  /**
   * The host:port a side probe's subcheck (the status endpoint, fetched beside the chain) connected
   * to: the way out works for this service even when its own address refused or timed out.
   */
  subcheckAddress?: string;
  /** The last name of the CNAME chain. */
  cnameTarget?: string;
  nameServers?: string[];
  /** Who was asked for the name: `system`, or the configured resolvers (`1.1.1.1,8.8.8.8`). */
  resolvers?: string;
  lookupMs?: number;
  certificateIssuer?: string;
  certificateDaysLeft?: number;
  /** Expiry of the earliest-expiring certificate of the verified chain (ISO 8601). */
  certificateExpiresAt?: string;
  httpStatus?: number;
  /** The latency a user would see, when the kind measures one (HTTP's total). */
  latencyMs?: number;
  /** The proxy the service's connection went through (`http://host:port`). */
  proxy?: string;
  /** Phase timings, for the exposition formats. */
  phases?: PhaseTimings;
}

export interface ProbeKindModule<K extends ProbeKind> {
  kind: K;
  layer: NetworkLayer;
  /** Whether a service runs this probe. */
  runsFor(service: ServiceSpec): boolean;
  /**
   * Side probes need nothing from the others: they start with the attempt and run beside the
   * chain, a failure in the chain does not skip them, and they never decide a retry. What they
   * say is not a measurement: it adjusts the measured result (see `adjust`).
   */
  side?: true;
  /** The status a failed observation gets: `down`, or `unknown` when failing says nothing of the service. */
  failedStatus?: 'unknown';
  probe: Probe<ObservationOf<K>>;
  /** The code when the watchdog had to stop the probe at its budget. */
  timeoutCode: FailureCode;
  /** The observation recorded when the watchdog had to stop the probe. */
  timedOut(service: ServiceSpec, failure: Failure, durationMs: number): ObservationOf<K>;
  /** Pure: thresholds and expectations applied to an observation that completed. */
  judge(observation: ObservationOf<K>, service: ServiceSpec, context: JudgeContext): Judgement;
  /** What the report keeps of the observation (the body, sockets and specs are not kept). */
  details(observation: ObservationOf<K>, context: JudgeContext): DetailsByKind[K];
  timings?(observation: ObservationOf<K>): PhaseTimings;
  facts(result: ProbeResultOf<K>): ProbeFacts;
  /** A column of the table and of markdown, for the kinds that have one. */
  column?: { title: string; text(result: ProbeResultOf<K>): string };
  /** `-v` lines under the probe's row. */
  verbose(result: ProbeResultOf<K>): string[];
  /** For side probes: how what they say moves the measured result. */
  adjust?(measured: ServiceResult, own: ProbeResultOf<K>, service: ServiceSpec): ServiceResult;
}
