/**
 * GitHub Actions workflow commands: an annotation per service that is not up (error for down and
 * unknown, warning for degraded and for non-critical failures), then the summary line. The report
 * is made safe first (safe-report.ts: one line each, no controls, no `##[`), and the runner's own
 * escaping keeps every annotation on its line, so remote text can never start a command of its own.
 */
import { exitCodeFor } from '../core/status.js';
import { serviceCount, summaryParts } from './cells.js';
import { diagnosisLines } from './diagnosis.js';
import { safeReport } from './safe-report.js';
import type { Report } from '../probes/result.js';

export function renderGithub(unsafe: Report): string {
  const report = safeReport(unsafe);
  const lines: string[] = [];
  for (const service of report.services) {
    if (service.status === 'up') continue;
    const fails = service.critical && exitCodeFor(service.status, report.failOn) !== 0;
    const level = fails && service.status !== 'degraded' ? 'error' : 'warning';
    const title = `outage: ${service.name} ${service.status}${service.code ? ` (${service.code})` : ''}`;
    lines.push(`::${level} title=${escapeProperty(title)}::${escapeData(`${service.reason} — ${service.target}`)}`);
  }
  for (const { label, text } of diagnosisLines(report)) lines.push(`::notice title=${escapeProperty(`outage: ${label}`)}::${escapeData(text)}`);
  lines.push(`outage: ${report.status.toUpperCase()} — ${serviceCount(report.services.length)}: ${summaryParts(report.counts).join(', ')}${report.interrupted ? ' · interrupted' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** The runner's own escaping (actions/runner ActionCommand): only these are decoded back. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
