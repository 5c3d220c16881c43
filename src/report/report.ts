/** Building the report from results; rendering is someone else's job (table.ts, json.ts, …). */
import { exitCodeFor, STATUSES, worst, type FailOn, type Status } from '../status.js';
import type { Report, ServiceResult } from './types.js';

export interface ReportMeta {
  startedAt: Date;
  durationMs: number;
  failOn: FailOn;
  interrupted: boolean;
}

export function buildReport(services: ServiceResult[], meta: ReportMeta): Report {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const service of services) counts[service.status]++;
  // Non-critical services are shown but never move the overall status or the exit code.
  const status = worst(services.filter((s) => s.critical).map((s) => s.status));
  return {
    schemaVersion: 1,
    status,
    exitCode: exitCodeFor(status, meta.failOn),
    failOn: meta.failOn,
    startedAt: meta.startedAt.toISOString(),
    durationMs: Math.round(meta.durationMs),
    counts,
    interrupted: meta.interrupted,
    services,
  };
}
