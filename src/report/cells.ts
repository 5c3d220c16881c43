/**
 * What the DNS, TLS and HTTP columns say for a service — shared by the terminal table and the
 * markdown table so both tell the same story.
 */
import type { ProbeStatus } from '../status.js';
import { formatDuration } from '../util/duration.js';
import type { ProbeResult, ServiceResult } from './types.js';

export interface Cell {
  text: string;
  /** undefined when the service has no such probe (shown as —). */
  status?: ProbeStatus;
}

export const CELL_KINDS = ['dns', 'tls', 'http'] as const;

export function probeCells(service: ServiceResult): Record<(typeof CELL_KINDS)[number], Cell> {
  return { dns: cell(service, 'dns', dnsText), tls: cell(service, 'tls', tlsText), http: cell(service, 'http', httpText) };
}

function cell(service: ServiceResult, kind: ProbeResult['kind'], text: (p: ProbeResult) => string): Cell {
  const result = service.probes.find((p) => p.kind === kind);
  if (!result) return { text: '—' };
  if (result.status === 'skipped') return { text: 'skipped', status: 'skipped' };
  return { text: text(result), status: result.status };
}

function dnsText(result: ProbeResult): string {
  return result.status === 'up' ? formatDuration(result.durationMs) : (shortCode(result.code) ?? result.status);
}

function tlsText(result: ProbeResult): string {
  const days = result.details.daysLeft;
  if (result.code && result.code !== 'tls.expiring') return shortCode(result.code) ?? '';
  return typeof days === 'number' ? `${Math.floor(days)}d` : 'ok';
}

/** Status and time whenever a response arrived (even a 503); the failure code when none did. */
function httpText(result: ProbeResult): string {
  const status = result.details.status;
  if (typeof status !== 'number') return shortCode(result.code) ?? result.status;
  return `${status} · ${formatDuration(result.timings?.total ?? result.durationMs)}`;
}

function shortCode(code: string | null): string | undefined {
  return code?.split('.')[1]?.replace(/_/g, ' ');
}

/** One line per report: `DOWN · 5 services: 1 up, 2 down · 1.23s`, without color. */
export function summaryParts(counts: Record<string, number>): string[] {
  return ['up', 'degraded', 'down', 'unknown'].filter((s) => s === 'up' || (counts[s] ?? 0) > 0).map((s) => `${counts[s] ?? 0} ${s}`);
}

/** The code with the one detail that matters most: `http.status 503`, `tls.expired`, `down`. */
export function codeDetail(service: ServiceResult): string {
  const http = service.probes.find((p) => p.kind === 'http')?.details.status;
  const detail = service.code === 'http.status' && typeof http === 'number' ? ` ${http}` : '';
  return `${service.code ?? service.status}${detail}`;
}
