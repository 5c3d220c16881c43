/**
 * Vantage points in the human formats: a compact cell (`✖ here ✔ eu ✔ us`) for the table and
 * markdown, present only when the report asked other places, and lines for JUnit's details.
 */
import type { Report, ServiceResult } from '../probes/result.js';
import { SYMBOL } from './colors.js';

export function hasVantages(report: Report): boolean {
  return report.services.some((s) => (s.vantages?.length ?? 0) > 1);
}

/** `✖ here ✔ eu-west ? us-east`: each place's status symbol and name, `here` first. */
export function vantageCell(service: ServiceResult): string {
  const vantages = service.vantages ?? [];
  if (vantages.length === 0) return '—';
  return vantages.map((v) => `${SYMBOL[v.status]} ${v.from}`).join(' ');
}

/** `from eu-west: down dns.refused — …` for every vantage, then the verdict. */
export function vantageLines(service: ServiceResult): string[] {
  const lines = (service.vantages ?? []).map((v) => `from ${v.from}: ${v.status}${v.code ? ` ${v.code}` : ''}${v.reason ? ` — ${v.reason}` : ''}`);
  if (service.vantageVerdict) lines.push(`vantages: ${service.vantageVerdict}`);
  return lines;
}
