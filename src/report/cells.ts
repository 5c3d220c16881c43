/**
 * What the probe columns say for a service — shared by the terminal table and the markdown table
 * so both tell the same story. Which kinds have a column, and what it says, is each kind's own.
 */
import type { ProbeKind } from '../core/probe-kind.js';
import type { ProbeStatus } from '../core/status.js';
import { columnText, COLUMN_KINDS, columnTitle, factsOf } from '../probes/registry.js';
import type { ServiceResult } from '../probes/result.js';

export interface Cell {
  text: string;
  /** undefined when the service has no such probe (shown as —). */
  status?: ProbeStatus;
}

/** Column titles in order: DNS, TLS, HTTP. */
export const CELL_TITLES: readonly string[] = COLUMN_KINDS.map(columnTitle);

export function probeCells(service: ServiceResult): Cell[] {
  return COLUMN_KINDS.map((kind) => cell(service, kind));
}

function cell(service: ServiceResult, kind: ProbeKind): Cell {
  const result = service.probes.find((p) => p.kind === kind);
  if (!result) return { text: '—' };
  if (result.status === 'skipped') return { text: 'skipped', status: 'skipped' };
  return { text: columnText(result), status: result.status };
}

/** `1 service`, `5 services`: every format's summary counts the same way. */
export function serviceCount(n: number): string {
  return `${n} service${n === 1 ? '' : 's'}`;
}

/** One line per report: `DOWN · 5 services: 1 up, 2 down · 1.23s`, without color. */
export function summaryParts(counts: Record<string, number>): string[] {
  return ['up', 'degraded', 'down', 'unknown'].filter((s) => s === 'up' || (counts[s] ?? 0) > 0).map((s) => `${counts[s] ?? 0} ${s}`);
}

/** The code with the one detail that matters most: `http.status 503`, `tls.expired`, `down`. */
export function codeDetail(service: ServiceResult): string {
  const status = service.code === 'http.status' ? service.probes.map((p) => factsOf(p).httpStatus).find((s) => s !== undefined) : undefined;
  return `${service.code ?? service.status}${status !== undefined ? ` ${status}` : ''}`;
}
