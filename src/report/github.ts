/**
 * GitHub Actions workflow commands: an annotation per service that is not up (error for down and
 * unknown, warning for degraded and for non-critical failures), then the summary line. The report
 * is made safe first (safe-report.ts: one line each, no controls, no `##[`), and the runner's own
 * escaping keeps every annotation on its line, so remote text can never start a command of its own.
 *
 * GitHub makes at most 10 annotations of each level per step, first come first served, and drops
 * the rest without a word (the lines stay in the log). So what fails the check is written first,
 * and past ten the tenth says how many more there are and which (see withinAnnotationLimit).
 */
import { exitCodeFor } from '../core/status.js';
import { serviceCount, summaryParts } from './cells.js';
import { diagnosisLines } from './diagnosis.js';
import { safeReport } from './safe-report.js';
import type { Report } from '../probes/result.js';

type Level = 'error' | 'warning' | 'notice';

interface Annotation {
  line: string;
  /** How it is named in the tenth annotation when it is not annotated itself. */
  named: string;
  /** Fails the check: written before those that do not. */
  fails: boolean;
}

export function renderGithub(unsafe: Report): string {
  const report = safeReport(unsafe);
  const byLevel: Record<Level, Annotation[]> = { error: [], warning: [], notice: [] };
  for (const service of report.services) {
    if (service.status === 'up') continue;
    const fails = service.critical && exitCodeFor(service.status, report.failOn) !== 0;
    const level = fails && service.status !== 'degraded' ? 'error' : 'warning';
    const title = `outage: ${service.name} ${service.status}${service.code ? ` (${service.code})` : ''}`;
    byLevel[level].push({
      line: command(level, title, `${service.reason} — ${service.target}`),
      named: `${service.name} (${service.status}${service.critical ? '' : ', non-critical'})`,
      fails,
    });
  }
  for (const { label, text } of diagnosisLines(report)) byLevel.notice.push({ line: command('notice', `outage: ${label}`, text), named: label, fails: false });
  const lines = (['error', 'warning', 'notice'] as const).flatMap((level) => withinAnnotationLimit(level, byLevel[level]));
  lines.push(`outage: ${report.status.toUpperCase()} — ${serviceCount(report.services.length)}: ${summaryParts(report.counts).join(', ')}${report.interrupted ? ' · interrupted' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Annotations of one level GitHub makes per step (actions/toolkit, docs/problem-matchers.md). */
const PER_STEP = 10;

/** Bytes of names in the tenth annotation: enough to act on, short enough to read. */
const NAMED_BYTES = 600;

const MORE: Record<Level, (count: number) => string> = {
  error: (count) => `${count} more services down or unknown`,
  warning: (count) => `${count} more warnings`,
  notice: (count) => `${count} more notes`,
};

/**
 * The level's annotations with those that fail the check first (stable: config order otherwise).
 * Past PER_STEP, the first nine are annotated, the tenth names the rest, and the rest follow as
 * commands too: GitHub annotates none of them, but the log still shows each, highlighted.
 */
function withinAnnotationLimit(level: Level, annotations: Annotation[]): string[] {
  const ordered = [...annotations.filter((a) => a.fails), ...annotations.filter((a) => !a.fails)];
  if (ordered.length <= PER_STEP) return ordered.map((a) => a.line);
  const shown = ordered.slice(0, PER_STEP - 1);
  const rest = ordered.slice(PER_STEP - 1);
  let named = '';
  for (const annotation of rest) {
    const next = named === '' ? annotation.named : `${named}, ${annotation.named}`;
    if (Buffer.byteLength(next) > NAMED_BYTES) {
      named = named === '' ? '…' : `${named}, …`;
      break;
    }
    named = next;
  }
  const more = command(level, `outage: ${MORE[level](rest.length)}`, `not annotated (GitHub annotates ${PER_STEP} ${level}s a step), each in the log below: ${named}`);
  return [...shown.map((a) => a.line), more, ...rest.map((a) => a.line)];
}

function command(level: Level, title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** The runner's own escaping (actions/runner ActionCommand): only these are decoded back. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
