/**
 * `--json`: the report object as one JSON document, the same one the programmatic API returns.
 * Exact, since JSON is data: remote text is not rewritten, only encoded so that no control
 * character, bidi override or `##[` appears raw in the text (see safeJson).
 */
import type { Redact } from '../core/redact.js';
import { safeJson } from '../core/safe-text.js';
import type { Report } from '../probes/result.js';
import { redactedReport } from './safe-report.js';

export function renderJson(report: Report, redact?: Redact): string {
  return `${safeJson(JSON.stringify(redactedReport(report, redact), null, 2))}\n`;
}
