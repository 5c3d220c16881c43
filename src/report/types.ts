/**
 * The report: the one object every output is rendered from (table, JSON, and later formats), and
 * what the programmatic API returns. Its JSON form is versioned by `schemaVersion`.
 */
import type { FailureCode, HttpTimings, ProbeKind } from '../probes/types.js';
import type { FailOn, ProbeStatus, Status } from '../status.js';
import type { VendorIncident, VendorIndicator } from '../vendor/types.js';
import type { CommonCause } from '../diagnose/common-cause.js';

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

export interface ProbeResult {
  kind: ProbeKind;
  status: ProbeStatus;
  code: FailureCode | null;
  reason: string;
  durationMs: number;
  /** How many attempts ran this probe (retries included). */
  attempts: number;
  timings?: HttpTimings;
  details: Record<string, unknown>;
}

export interface ServiceResult {
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
  probes: ProbeResult[];
  /** With a `status` endpoint: the vendor's own word. */
  vendor?: VendorSummary;
}

/** The canaries' verdict: `ok: false` is a local network problem, and the services were not judged. */
export interface LocalNetwork {
  ok: boolean;
  verdict?: 'local network problem';
  layers?: string[];
  reason?: string;
  canaries: Pick<ServiceResult, 'name' | 'target' | 'status' | 'code' | 'reason'>[];
}

export interface Report {
  schemaVersion: 1;
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
  /** Failing services grouped by what they share, most specific first (see diagnose/common-cause.ts). */
  commonCauses: CommonCause[];
  services: ServiceResult[];
}
