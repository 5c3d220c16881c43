/** The default terminal output: one row per service in config order, then a summary line. */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../util/duration.js';
import { paintStatus } from './colors.js';
import { terminalSafe } from './text.js';
import type { ProbeResult, Report, ServiceResult } from './types.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Terminal width, to wrap the reason column; undefined when not a terminal. */
  columns?: number;
}

export function renderTable(report: Report, options: TableOptions): string {
  const { chalk } = options;
  const head = ['Service', 'Status', 'DNS', 'TLS', 'HTTP', 'Reason'].map((h) => chalk.bold(h));
  const rows = report.services.map((service) => [
    service.critical ? terminalSafe(service.name) : `${terminalSafe(service.name)} ${chalk.dim('(non-critical)')}`,
    paintStatus(chalk, service.status),
    cell(chalk, probe(service, 'dns'), dnsCell),
    cell(chalk, probe(service, 'tls'), tlsCell),
    cell(chalk, probe(service, 'http'), httpCell),
    service.status === 'up' ? chalk.dim(terminalSafe(service.reason)) : terminalSafe(service.reason),
  ]);
  const colWidths = options.columns ? fitColumns([head, ...rows], options.columns) : [];
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: colWidths.length > 0, colWidths });
  table.push(...rows);
  return `${table.toString()}\n${renderSummary(report, chalk)}\n`;
}

const MIN_REASON = 24;

/**
 * On a terminal the table fits its width: the reason wraps in what the other columns leave, and a
 * long service name gives way (wraps too) before the reason drops below a readable width.
 */
function fitColumns(rows: string[][], columns: number): (number | null)[] {
  const natural = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => visibleWidth(r[i] ?? ''))) + 2);
  const borders = 7;
  const middle = (natural[1] ?? 0) + (natural[2] ?? 0) + (natural[3] ?? 0) + (natural[4] ?? 0);
  let name = natural[0] ?? 0;
  if (columns - borders - middle - name < MIN_REASON) name = Math.max(12, columns - borders - middle - MIN_REASON);
  return [name, null, null, null, null, Math.max(10, columns - borders - middle - name)];
}

function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return Math.max(...text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => [...line].length));
}

export function renderSummary(report: Report, chalk: ChalkInstance): string {
  const { counts } = report;
  const total = report.services.length;
  const parts = [
    `${counts.up} up`,
    counts.degraded ? chalk.yellow(`${counts.degraded} degraded`) : '',
    counts.down ? chalk.red(`${counts.down} down`) : '',
    counts.unknown ? chalk.magenta(`${counts.unknown} unknown`) : '',
  ].filter(Boolean);
  const interrupted = report.interrupted ? chalk.magenta(' · interrupted') : '';
  return `${paintStatus(chalk, report.status, report.status.toUpperCase())} · ${total} service${total === 1 ? '' : 's'}: ${parts.join(', ')} · ${formatDuration(report.durationMs)}${interrupted}`;
}

function probe(service: ServiceResult, kind: ProbeResult['kind']): ProbeResult | undefined {
  return service.probes.find((p) => p.kind === kind);
}

function cell(chalk: ChalkInstance, result: ProbeResult | undefined, text: (p: ProbeResult) => string): string {
  if (!result) return chalk.dim('—');
  if (result.status === 'skipped') return chalk.dim('skipped');
  return paintStatus(chalk, result.status, text(result));
}

function dnsCell(result: ProbeResult): string {
  return result.status === 'up' ? formatDuration(result.durationMs) : (shortCode(result.code) ?? result.status);
}

function tlsCell(result: ProbeResult): string {
  const days = result.details.daysLeft;
  if (result.code && result.code !== 'tls.expiring') return shortCode(result.code) ?? '';
  return typeof days === 'number' ? `${Math.floor(days)}d` : 'ok';
}

/** Status and time whenever a response arrived (even a 503); the failure code when none did. */
function httpCell(result: ProbeResult): string {
  const status = result.details.status;
  if (typeof status !== 'number') return shortCode(result.code) ?? result.status;
  return `${status} · ${formatDuration(result.timings?.total ?? result.durationMs)}`;
}

function shortCode(code: string | null): string | undefined {
  return code?.split('.')[1]?.replace(/_/g, ' ');
}
