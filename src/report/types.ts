/**
 * The report: the one object every output is rendered from (table, JSON, and later formats), and
 * what the programmatic API returns. Its JSON form is versioned by `schemaVersion`.
 */
import type { FailureCode, HttpTimings, ProbeKind } from '../probes/types.js';
import type { FailOn, ProbeStatus, Status } from '../status.js';

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
  services: ServiceResult[];
}
