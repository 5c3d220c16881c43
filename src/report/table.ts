/** The default terminal output: one row per service in config order, then a summary line. */
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../core/duration.js';
import { makeChalk, paintStatus } from './colors.js';
import { guardLines } from '../core/safe-text.js';
import { safeReport } from './safe-report.js';
import { CELL_TITLES, codeDetail, probeCells, serviceCount, type Cell as ProbeCell } from './cells.js';
import { renderFitted, type Cell, type Column } from './fit.js';
import type { Report, ServiceResult } from '../probes/result.js';
import type { Redact } from '../core/redact.js';
import { diagnosisLines } from './diagnosis.js';
import { displayWidth, wrapText } from './wrap.js';
import { hasVantages, vantageCell } from './vantages.js';

export interface TableOptions {
  chalk: ChalkInstance;
  /** Width to fit: the terminal's, or COLUMNS; undefined renders at the natural width. */
  columns?: number;
  /** `outage watch`: how long each service has been in its state, shown as a column. */
  since?: (service: ServiceResult) => string;
  /** Secrets out before wrapping (see FitOptions). */
  redact?: Redact;
}

const plain = makeChalk(0);

/**
 * The columns' floors at a given width: a reason stays readable (24 cells) and a name keeps
 * 12 cells, wrapping rather than being cut; status and age never wrap; the probe cells wrap at
 * spaces only (`200 ·` over `41ms`). When the table still does not fit, the probe columns go
 * first, left to right (the reason then starts with the failure's code they showed): about 56
 * columns hold service, status and reason; below that each service becomes a block.
 */
function columnsFor(since: boolean, vantages: boolean): Column[] {
  return [
    { title: 'Service', min: 12 },
    { title: 'Status', fixed: true },
    ...(since ? [{ title: 'Since', fixed: true }] : []),
    ...CELL_TITLES.map((title, i) => ({ title, drop: i })),
    // With --from: where it was seen from, dropped after the probe columns when space runs out.
    ...(vantages ? [{ title: 'From', drop: CELL_TITLES.length }] : []),
    { title: 'Reason', min: 24 },
  ];
}

export function renderTable(unsafe: Report, options: TableOptions): string {
  const { chalk, since } = options;
  const report = safeReport(unsafe, options.redact);
  const vantages = hasVantages(report);
  const rows = report.services.map((service): Cell[] => [
    serviceCell(service, chalk),
    { text: paintStatus(plain, service.status), paint: (text) => paintStatus(chalk, service.status, text) },
    ...(since ? [{ text: since(service) }] : []),
    ...probeCells(service).map((cell) => ({ text: cell.text, paint: (text: string) => paintCell(chalk, { ...cell, text }) })),
    ...(vantages ? [{ text: vantageCell(service) }] : []),
    {
      text: service.reason,
      paint: service.status === 'up' ? (text: string) => chalk.dim(text) : undefined,
      // The probe columns left out (a narrow terminal), a failure's code would be gone from the
      // table, leaving only words: it leads the reason instead (`http.timeout: no response…`).
      ...(service.status === 'up' ? {} : { whenDropped: `${codeDetail(service)}: ${service.reason}` }),
    },
  ]);
  const table = renderFitted(columnsFor(Boolean(since), vantages), rows, { chalk, width: options.columns, redact: options.redact });
  // Wrapping can put any piece of a reason at the start of a line: the last guard runs on the whole.
  return guardLines(`${table}${renderSummary(report, chalk, options.columns)}\n${renderWarnings(report, chalk, options)}`);
}

function serviceCell(service: ServiceResult, chalk: ChalkInstance): Cell {
  const name = service.name;
  if (service.critical) return { text: name };
  return { text: `${name} (non-critical)`, paint: (text) => text.replace(/\(non-critical\)$/, chalk.dim('(non-critical)')) };
}

/**
 * Shown even with -q: whose problem it is (a local network verdict, a likely common cause), and
 * warnings that make the report less trustworthy. Wrapped to the width, continuation indented.
 */
export function renderWarnings(unsafe: Report, chalk: ChalkInstance, { columns, redact }: { columns?: number; redact?: Redact } = {}): string {
  const report = safeReport(unsafe, redact);
  const lines = diagnosisLines(report).map(({ label, text }) => ({
    label: `${label}:`,
    paint: label === 'local network problem' ? chalk.magenta.bold : chalk.cyan.bold,
    text,
  }));
  lines.push(...report.warnings.map((w) => ({ label: 'warning:', paint: chalk.yellow, text: w })));
  const text = lines
    .map(({ label, paint, text }) => {
      const wrapped = columns === undefined ? [`${label} ${text}`] : wrapText(`${label} ${text}`, Math.max(10, columns - 2));
      const first = wrapped[0] as string;
      const head = first.startsWith(label) ? `${paint(label)}${first.slice(label.length)}` : first;
      return [head, ...wrapped.slice(1).map((line) => `  ${line}`)].map((line) => `${line}\n`).join('');
    })
    .join('');
  return guardLines(text);
}

/** `DOWN · 5 services: 1 up, 2 down · 1.23s`; at a width, it breaks between its parts. */
export function renderSummary(report: Report, chalk: ChalkInstance, columns?: number): string {
  const { counts } = report;
  const total = report.services.length;
  const parts = [
    `${counts.up} up`,
    counts.degraded ? chalk.yellow(`${counts.degraded} degraded`) : '',
    counts.down ? chalk.red(`${counts.down} down`) : '',
    counts.unknown ? chalk.magenta(`${counts.unknown} unknown`) : '',
  ].filter(Boolean);
  const segments = [
    paintStatus(chalk, report.status, report.status.toUpperCase()),
    `${serviceCount(total)}: ${parts.join(', ')}`,
    formatDuration(report.durationMs),
    ...(report.interrupted ? [chalk.magenta('interrupted')] : []),
  ];
  if (columns === undefined) return segments.join(' · ');
  const lines = [segments[0] as string];
  for (const segment of segments.slice(1)) {
    const joined = `${lines.at(-1)} · ${segment}`;
    if (displayWidth(joined) <= columns) lines[lines.length - 1] = joined;
    else lines.push(`  ${segment}`);
  }
  return lines.join('\n');
}

function paintCell(chalk: ChalkInstance, cell: ProbeCell): string {
  if (!cell.status || cell.status === 'skipped') return chalk.dim(cell.text);
  return paintStatus(chalk, cell.status, cell.text);
}
