/** The default terminal output: one row per service in config order, then a summary line. */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../core/duration.js';
import { paintStatus } from './colors.js';
import { terminalSafe } from './escape.js';
import { CELL_TITLES, probeCells, type Cell } from './cells.js';
import type { Report, ServiceResult } from '../probes/result.js';
import { diagnosisLines } from './diagnosis.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Terminal width, to wrap the reason column; undefined when not a terminal. */
  columns?: number;
  /** `outage watch`: how long each service has been in its state, shown as a column. */
  since?: (service: ServiceResult) => string;
}

export function renderTable(report: Report, options: TableOptions): string {
  const { chalk } = options;
  const since = options.since;
  const head = ['Service', 'Status', ...(since ? ['Since'] : []), ...CELL_TITLES, 'Reason'].map((h) => chalk.bold(h));
  const rows = report.services.map((service) => [
    service.critical ? terminalSafe(service.name) : `${terminalSafe(service.name)} ${chalk.dim('(non-critical)')}`,
    paintStatus(chalk, service.status),
    ...(since ? [since(service)] : []),
    ...probeCells(service).map((cell) => paintCell(chalk, cell)),
    service.status === 'up' ? chalk.dim(terminalSafe(service.reason)) : terminalSafe(service.reason),
  ]);
  const colWidths = options.columns ? fitColumns([head, ...rows], options.columns) : [];
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: colWidths.length > 0, colWidths });
  table.push(...rows);
  return `${table.toString()}\n${renderSummary(report, chalk)}\n${renderWarnings(report, chalk)}`;
}

const MIN_REASON = 24;

/**
 * On a terminal the table fits its width: the reason wraps in what the other columns leave, and a
 * long service name gives way (wraps too) before the reason drops below a readable width.
 */
function fitColumns(rows: string[][], columns: number): (number | null)[] {
  const count = rows[0]?.length ?? 0;
  const natural = Array.from({ length: count - 1 }, (_, i) => Math.max(...rows.map((r) => visibleWidth(r[i] ?? ''))) + 2);
  const borders = count + 1;
  const middle = natural.slice(1).reduce((a, b) => a + b, 0);
  let name = natural[0] ?? 0;
  if (columns - borders - middle - name < MIN_REASON) name = Math.max(12, columns - borders - middle - MIN_REASON);
  return [name, ...natural.slice(1).map(() => null), Math.max(10, columns - borders - middle - name)];
}

function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return Math.max(...text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => [...line].length));
}

/**
 * Shown even with -q: whose problem it is (a local network verdict, a likely common cause), and
 * warnings that make the report less trustworthy.
 */
export function renderWarnings(report: Report, chalk: ChalkInstance): string {
  const lines = diagnosisLines(report).map(({ label, text }) =>
    `${label === 'local network problem' ? chalk.magenta.bold(`${label}:`) : chalk.cyan.bold(`${label}:`)} ${terminalSafe(text)}`,
  );
  lines.push(...report.warnings.map((w) => `${chalk.yellow('warning:')} ${w}`));
  return lines.map((line) => `${line}\n`).join('');
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

function paintCell(chalk: ChalkInstance, cell: Cell): string {
  if (!cell.status || cell.status === 'skipped') return chalk.dim(cell.text);
  return paintStatus(chalk, cell.status, cell.text);
}

