/** `--json`: the report object as one JSON document, the same one the programmatic API returns. */
import type { Report } from '../probes/result.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
