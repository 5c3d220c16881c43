/** Building the report from results; rendering is someone else's job (table.ts, json.ts, …). */
import { findCommonCauses } from '../diagnose/common-cause.js';
import { exitCodeFor, STATUSES, worst, type FailOn, type Status } from '../core/status.js';
import { REPORT_SCHEMA_VERSION, type LocalNetwork } from '../core/result.js';
import type { Report, ServiceResult } from '../probes/result.js';

export interface ReportMeta {
  startedAt: Date;
  durationMs: number;
  failOn: FailOn;
  interrupted: boolean;
  /** The longest stall of outage's own event loop while probing, when it was measured. */
  maxEventLoopDelayMs?: number;
  /** Services measured again, a few at a time, because outage's own load clouded their first measurement. */
  remeasured?: { services: number; concurrency: number };
  /** Services probed at once: the cap, or fewer when fewer services ran. */
  concurrency?: number;
  localNetwork?: LocalNetwork;
}

/** A stall this long means outage itself, not the services, added to the timings it reports. */
export const STALL_WARNING_MS = 100;

export function buildReport(services: ServiceResult[], meta: ReportMeta): Report {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const service of services) counts[service.status]++;
  // Non-critical services are shown but never move the overall status or the exit code.
  const status = worst(services.filter((s) => s.critical).map((s) => s.status));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    status,
    exitCode: exitCodeFor(status, meta.failOn),
    failOn: meta.failOn,
    startedAt: meta.startedAt.toISOString(),
    durationMs: Math.round(meta.durationMs),
    counts,
    interrupted: meta.interrupted,
    warnings: warnings(meta),
    ...(meta.localNetwork ? { localNetwork: meta.localNetwork } : {}),
    // With a local network problem the cause is known; grouping the casualties would mislead.
    commonCauses: meta.localNetwork?.ok === false ? [] : findCommonCauses(services),
    services,
  };
}

function warnings(meta: ReportMeta): string[] {
  const again = meta.remeasured ? [remeasuredWarning(meta.remeasured)] : [];
  return [...stallWarnings(meta), ...again];
}

function remeasuredWarning({ services, concurrency }: { services: number; concurrency: number }): string {
  const which = services === 1 ? '1 service was' : `${services} services were`;
  const pace = services === 1 ? '' : ` ${concurrency} at a time`;
  return `${which} measured again${pace} when outage was quiet, because its own load clouded the first measurement; the report gives the second`;
}

function stallWarnings(meta: ReportMeta): string[] {
  const stall = meta.maxEventLoopDelayMs;
  if (stall === undefined || stall < STALL_WARNING_MS) return [];
  const inflated = `its event loop stalled for up to ${Math.round(stall)} ms, so the timings shown may be inflated (verdicts leave outage's busy time out)`;
  // Advice about --concurrency only helps when several services were probed at once.
  if (meta.concurrency !== undefined && meta.concurrency > 1) {
    return [`outage was CPU-bound at concurrency ${meta.concurrency}: ${inflated}; a lower --concurrency measures more truly`];
  }
  return [`outage was CPU-bound: ${inflated}`];
}
