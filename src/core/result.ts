/**
 * The shapes of what a check produces — a judgement, a probe's result, a service's result, the
 * report — shared by judging, diagnosis, every renderer and the programmatic API. A probe result's
 * `details` are typed per kind in src/probes/<kind>/; src/probes/result.ts puts them together.
 */
import type { FailureCode } from './failure.js';
import type { ProbeKind } from './probe-kind.js';
import type { FailOn, ProbeStatus, Status } from './status.js';
import type { VendorIncident, VendorIndicator } from './vendor-status.js';

/** What judging says of one observation (or of a whole attempt). */
export interface Judgement {
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  /**
   * The verdict rests on outage's own load: its event loop was busy for so much of the
   * measurement that the target's share cannot be told (a time over the threshold only with
   * outage's own delay in it, a timer that ran out while outage was busy). The scheduler measures
   * such a service again when it is quiet; never in a report.
   */
  ownLoad?: true;
}

/** HTTP phase timings in milliseconds, as the wire saw them. */
export interface PhaseTimings {
  dns?: number;
  connect?: number;
  /** Through a proxy: the CONNECT round trip, after `connect` (to the proxy) and before `tls`. */
  tunnel?: number;
  tls?: number;
  ttfb?: number;
  transfer?: number;
  total: number;
  /**
   * How long outage's own event loop was busy while these timings were taken: up to this much of
   * `total` may be outage's delay, not the target's, so `total − ownBusy` is the least the target
   * itself took (README "Honest timings under outage's own load").
   */
  ownBusy?: number;
}

export interface ProbeResultOf<K extends ProbeKind, D> {
  kind: K;
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
  /** How many attempts ran this probe (retries included). */
  attempts: number;
  timings?: PhaseTimings;
  /**
   * What the probe saw, typed per kind; `firstFailure` when a retry cured a failure. Partial: a
   * probe that never ran (an interrupted run, an earlier probe failing every attempt) saw nothing.
   */
  details: Partial<D> & { firstFailure?: Judgement };
}

/** What the vendor's status page said, beside what was measured. */
export interface VendorSummary {
  url: string;
  /** `unknown` when the status endpoint could not be read (see `code`). */
  indicator: VendorIndicator | 'unknown';
  /** "major outage — Users may have trouble loading messages" */
  words: string;
  code: FailureCode | null;
  incidents: VendorIncident[];
}

export interface ServiceResultOf<P> {
  name: string;
  target: string;
  status: Status;
  code: FailureCode | null;
  reason: string;
  critical: boolean;
  tags: string[];
  durationMs: number;
  /** The limits this service was judged against (for perfdata and dashboards). */
  thresholds: { latencyDegradedMs: number; certificateDegradedDays?: number; certificateDownDays?: number };
  probes: P[];
  /** With a `status` endpoint: the vendor's own word. */
  vendor?: VendorSummary;
  /** With `--from` / `vantages`: how each place saw the service, `here` (this machine) first. */
  vantages?: VantageResult[];
  /** Whose problem it is by the vantages: "down only here: your path or network", … */
  vantageVerdict?: string;
}

/** How a vantage's reason starts when it was not asked: `unknown` with no code, never its silence. */
export const NOT_ASKED = 'not asked: ';

/** How one vantage point (`here`, or a remote `outage serve`) saw a service. */
export interface VantageResult {
  from: string;
  /** `unknown` with `vantage.unreachable` when the vantage did not answer. */
  status: Status;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
}

/** The canaries' verdict: `ok: false` is a local network problem, and the services were not judged. */
export interface LocalNetwork {
  ok: boolean;
  verdict?: 'local network problem';
  /** `dns`: only name resolution is broken here (connections by address work), so only services' DNS failures are not judged. */
  scope?: 'network' | 'dns';
  layers?: string[];
  reason?: string;
  canaries: { name: string; target: string; status: Status; code: FailureCode | null; reason: string }[];
}

export type CauseKind = 'cname' | 'ns' | 'resolver' | 'host' | 'network' | 'issuer' | 'code';

/** Failing services that share something no healthy service has (see diagnose/common-cause.ts). */
export interface CommonCause {
  kind: CauseKind;
  value: string;
  /** "3 of 4 down services resolve through *.cdn-x.net" */
  summary: string;
  services: string[];
}

/** The JSON report's `schemaVersion`: what a vantage's answer must say to be read (run/vantages.ts). */
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportOf<S> {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The worst status among critical services. */
  status: Status;
  exitCode: number;
  /** The lowest status that makes the exit code non-zero. */
  failOn: FailOn;
  startedAt: string;
  durationMs: number;
  counts: Record<Status, number>;
  interrupted: boolean;
  /** Things that make this report less trustworthy, e.g. outage's own CPU inflating timings. */
  warnings: string[];
  /** Present when canaries ran (see README "Local-network diagnosis"). */
  localNetwork?: LocalNetwork;
  /** Failing services grouped by what they share, most specific first. */
  commonCauses: CommonCause[];
  services: S[];
}
