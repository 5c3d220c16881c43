/** A markdown table for pull-request comments and GitHub step summaries. */
import { CELL_TITLES, probeCells, serviceCount, summaryParts } from './cells.js';
import { diagnosisLines } from './diagnosis.js';
import { markdownCell } from './escape.js';
import { hasVantages, vantageCell } from './vantages.js';
import type { Report } from '../probes/result.js';
import { safeReport } from './safe-report.js';
import type { Status } from '../core/status.js';

const EMOJI: Record<Status, string> = { up: '🟢', degraded: '🟡', down: '🔴', unknown: '⚪' };

export interface MarkdownOptions {
  emoji?: boolean;
}

export function renderMarkdown(unsafe: Report, options: MarkdownOptions = {}): string {
  const report = safeReport(unsafe);
  const emoji = options.emoji ?? true;
  const mark = (status: Status) => (emoji ? `${EMOJI[status]} ` : '');
  const vantages = hasVantages(report);
  const extra = vantages ? ['From'] : [];
  const lines = [
    `### ${mark(report.status)}outage: ${report.status.toUpperCase()} — ${serviceCount(report.services.length)}: ${summaryParts(report.counts).join(', ')}`,
    '',
    `| ${['Service', 'Status', ...CELL_TITLES, ...extra, 'Reason'].join(' | ')} |`,
    `|${' --- |'.repeat(CELL_TITLES.length + extra.length + 3)}`,
  ];
  for (const service of report.services) {
    const name = `${markdownCell(service.name)}${service.critical ? '' : ' _(non-critical)_'}`;
    const row = [name, `${mark(service.status)}${service.status}`, ...probeCells(service).map((cell) => markdownCell(cell.text)), ...(vantages ? [markdownCell(vantageCell(service))] : []), markdownCell(service.reason)];
    lines.push(`| ${row.join(' | ')} |`);
  }
  for (const { label, text } of diagnosisLines(report)) lines.push('', `> **${label}:** ${markdownCell(text)}`);
  for (const warning of report.warnings) lines.push('', `> ⚠️ ${markdownCell(warning)}`);
  lines.push('', `<sub>Checked ${report.startedAt} in ${(report.durationMs / 1000).toFixed(2)}s · exit code ${report.exitCode}</sub>`, '');
  return lines.join('\n');
}
