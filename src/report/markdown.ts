/** A markdown table for pull-request comments and GitHub step summaries. */
import { CELL_TITLES, probeCells, serviceCount, summaryParts } from './cells.js';
import { diagnosisLines } from './diagnosis.js';
import { markdownCell } from './escape.js';
import { hasVantages, vantageCell } from './vantages.js';
import type { Report, ServiceResult } from '../probes/result.js';
import { safeReport } from './safe-report.js';
import type { Status } from '../core/status.js';

const EMOJI: Record<Status, string> = { up: '🟢', degraded: '🟡', down: '🔴', unknown: '⚪' };

export interface MarkdownOptions {
  emoji?: boolean;
  /**
   * At most this many bytes (UTF-8): GitHub drops a step summary of more than 1 MiB whole. Rows of
   * services that are not up are kept first, then as many up as fit, in config order.
   */
  maxBytes?: number;
}

export function renderMarkdown(unsafe: Report, options: MarkdownOptions = {}): string {
  const report = safeReport(unsafe);
  const emoji = options.emoji ?? true;
  const mark = (status: Status) => (emoji ? `${EMOJI[status]} ` : '');
  const vantages = hasVantages(report);
  const extra = vantages ? ['From'] : [];
  const head = [
    `### ${mark(report.status)}outage: ${report.status.toUpperCase()} — ${serviceCount(report.services.length)}: ${summaryParts(report.counts).join(', ')}`,
    '',
    `| ${['Service', 'Status', ...CELL_TITLES, ...extra, 'Reason'].join(' | ')} |`,
    `|${' --- |'.repeat(CELL_TITLES.length + extra.length + 3)}`,
  ];
  const rows = report.services.map((service) => {
    const name = `${markdownCell(service.name)}${service.critical ? '' : ' _(non-critical)_'}`;
    const row = [name, `${mark(service.status)}${service.status}`, ...probeCells(service).map((cell) => markdownCell(cell.text)), ...(vantages ? [markdownCell(vantageCell(service))] : []), markdownCell(service.reason)];
    return `| ${row.join(' | ')} |`;
  });
  const tail: string[] = [];
  for (const { label, text } of diagnosisLines(report)) tail.push('', `> **${label}:** ${markdownCell(text)}`);
  for (const warning of report.warnings) tail.push('', `> ⚠️ ${markdownCell(warning)}`);
  tail.push('', `<sub>Checked ${report.startedAt} in ${(report.durationMs / 1000).toFixed(2)}s · exit code ${report.exitCode}${report.interrupted ? ' · interrupted' : ''}</sub>`, '');
  const whole = [...head, ...rows, ...tail].join('\n');
  if (options.maxBytes === undefined || bytes(whole) <= options.maxBytes) return whole;
  return [...head, ...withinBudget(report.services, rows, options.maxBytes - bytes([...head, ...tail].join('\n')) - 1), ...tail].join('\n');
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The rows that fit in `budget` bytes, services not up first, in config order, then what was left out. */
function withinBudget(services: ServiceResult[], rows: string[], budget: number): string[] {
  // Room for the line saying what was left out, whatever it counts (four counts of 7 digits at most).
  let left = budget - OMITTED_ROOM;
  const kept = new Set<number>();
  for (const wanted of [(s: Status) => s !== 'up', (s: Status) => s === 'up']) {
    services.forEach((service, i) => {
      const size = bytes(rows[i] as string) + 1;
      if (!wanted(service.status) || size > left) return;
      kept.add(i);
      left -= size;
    });
  }
  const out = rows.filter((_, i) => kept.has(i));
  return [...out, omitted(services.filter((_, i) => !kept.has(i)).map((s) => s.status))];
}

const OMITTED_ROOM = 300;

/** `\n> 812 services not shown (all up): …` — a quote after a blank line ends the table. */
function omitted(statuses: Status[]): string {
  const counts = summaryParts(Object.fromEntries((['up', 'degraded', 'down', 'unknown'] as Status[]).map((s) => [s, statuses.filter((t) => t === s).length])));
  const which = statuses.every((s) => s === 'up') ? 'all up' : counts.filter((c) => !c.startsWith('0 ')).join(', ');
  return `\n> ${serviceCount(statuses.length)} not shown (${which}): GitHub keeps at most 1 MiB of step summary; the job log and \`--report\` files have every service.`;
}
