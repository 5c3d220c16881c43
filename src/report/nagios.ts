/**
 * Nagios/Icinga plugin output: one status line with performance data after `|`
 * (`'label'=value[UOM];warn;crit;min;max`), matching the plugin exit code.
 */
import type { Status } from '../core/status.js';
import { codeDetail } from './cells.js';
import { factsOf } from '../probes/registry.js';
import { oneLine } from './escape.js';
import type { Report, ServiceResult } from '../probes/result.js';

const WORD = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const ORDER: Status[] = ['unknown', 'down', 'degraded'];

export function renderNagios(report: Report): string {
  const total = report.services.length;
  const groups = ORDER.map((status) => report.services.filter((s) => s.status === status))
    .filter((group) => group.length > 0)
    .map((group) => `${group.length} of ${total} ${group[0]?.status}: ${group.map(describe).join(', ')}`);
  const text = groups.length > 0 ? groups.join('; ') : `all ${total} up`;
  return `OUTAGE ${WORD[report.exitCode] ?? 'UNKNOWN'} - ${oneLine(text).replace(/\|/g, '/')} | ${perfdata(report.services)}\n`;
}

function describe(service: ServiceResult): string {
  return `${service.name} (${codeDetail(service)})${service.critical ? '' : ' [non-critical]'}`;
}

function perfdata(services: ServiceResult[]): string {
  const used = new Map<string, number>();
  const out: string[] = [];
  for (const service of services) {
    let label = service.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'service';
    const seen = used.get(label) ?? 0;
    used.set(label, seen + 1);
    if (seen > 0) label = `${label}_${seen + 1}`;
    const facts = service.probes.map(factsOf);
    const totalMs = facts.find((f) => f.latencyMs !== undefined)?.latencyMs ?? service.durationMs;
    out.push(`${label}_total=${(totalMs / 1000).toFixed(3)}s;${service.thresholds.latencyDegradedMs / 1000};;0`);
    const days = facts.find((f) => f.certificateDaysLeft !== undefined)?.certificateDaysLeft;
    if (typeof days === 'number' && service.thresholds.certificateDegradedDays !== undefined) {
      // `N:` ranges alert below N: fewer days left is worse.
      out.push(`${label}_cert_days=${Math.floor(days)};${service.thresholds.certificateDegradedDays}:;${service.thresholds.certificateDownDays ?? 0}:;;`);
    }
  }
  return out.join(' ');
}
