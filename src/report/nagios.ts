/**
 * Nagios/Icinga plugin output: one status line with performance data after `|`
 * (`'label'=value[UOM];warn;crit;min;max`), matching the plugin exit code. The summary comes
 * first (`2 of 5 down, 1 degraded`), then each service not up with its code and reason (critical
 * ones first in each status), so what an alert shows says why; all within NRPE's 1024 bytes (see
 * nagios-line.ts for what is cut).
 */
import type { Status } from '../core/status.js';
import { factsOf } from '../probes/registry.js';
import { byteLength, NRPE_LIMIT, PLUGIN_WORDS, pluginOutput, pluginText, truncateBytes } from './nagios-line.js';
import type { Report, ServiceResult } from '../probes/result.js';
import { safeReport } from './safe-report.js';

/** Worst first; the status that decides the plugin word is moved to the front. */
const ORDER: Status[] = ['unknown', 'down', 'degraded'];

/** Longest reason shown per service, tried in turn until the line fits; 0 shows the code alone. */
const REASON_CAPS = [Infinity, 160, 80, 40, 0];

interface Group {
  status: Status;
  services: ServiceResult[];
}

/** Bytes the status text may always use; the perfdata gets the rest, or more if the text is short. */
const TEXT_SHARE = 768;

export function renderNagios(unsafe: Report): string {
  const report = safeReport(unsafe);
  const word = PLUGIN_WORDS[report.exitCode] ?? 'UNKNOWN';
  const perf = perfdata(report.services);
  const perfBytes = perf.length > 0 ? byteLength(` | ${perf.join(' ')}`) : 0;
  const head = byteLength(`OUTAGE ${word} - `);
  const budget = Math.max(TEXT_SHARE, NRPE_LIMIT - 1 - perfBytes) - head;
  return pluginOutput(word, statusText(report, budget), perf);
}

function statusText(report: Report, budget: number): string {
  const total = report.services.length;
  // Critical services first within a status: they decide the word, and when not every name fits,
  // the one that made the check CRITICAL must not be among the "… N more" behind optional ones.
  const groups = ORDER.map((status) => ({ status, services: [...report.services.filter((s) => s.status === status && s.critical), ...report.services.filter((s) => s.status === status && !s.critical)] }))
    .filter((g) => g.services.length > 0)
    .sort((a, b) => Number(b.status === report.status) - Number(a.status === report.status));
  if (groups.length === 0) return `all ${total} up`;
  const network = report.localNetwork?.ok === false ? report.localNetwork.reason : undefined;
  const summary = (cap: number) =>
    groups.map((g, i) => `${g.services.length}${i === 0 ? ` of ${total}` : ''} ${g.status}`).join(', ') +
    (network ? ` (local network problem: ${clip(network, Math.max(cap, 80))})` : '');

  for (const cap of REASON_CAPS) {
    const text = `${summary(cap)}: ${details(groups, cap)}`;
    if (byteLength(text) <= budget) return text;
  }
  // Even names and codes alone are too long: list as many services as fit, and count the rest.
  // Each service shown adds more bytes than its count can save, so the text grows with `shown`
  // and the most that fit is found by bisection (trying every count was quadratic: ~18 s for
  // 10,000 failing services).
  const count = groups.reduce((n, g) => n + g.services.length, 0);
  const text = (shown: number) => `${summary(0)}: ${details(firstServices(groups, shown), 0)}, … ${count - shown} more`;
  let [fits, tooMany] = [0, count];
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (byteLength(text(mid)) <= budget) fits = mid;
    else tooMany = mid;
  }
  return fits > 0 ? text(fits) : summary(0);
}

/** `api (http.status: HTTP 503 …), db (tcp.refused: …); degraded: web (…)` */
function details(groups: Group[], cap: number): string {
  return groups.map((g, i) => `${i === 0 ? '' : `${g.status}: `}${g.services.map((s) => describe(s, cap)).join(', ')}`).join('; ');
}

function describe(service: ServiceResult, cap: number): string {
  const reason = cap > 0 && service.reason ? `: ${clip(service.reason, cap)}` : '';
  // Names are never cut: cut names end up as identical stubs that identify nothing.
  return `${pluginText(service.name)} (${service.code ?? service.status}${reason})${service.critical ? '' : ' [non-critical]'}`;
}

function clip(text: string, max: number): string {
  return truncateBytes(pluginText(text), max);
}

function firstServices(groups: Group[], count: number): Group[] {
  let left = count;
  return groups
    .map((g) => {
      const services = g.services.slice(0, Math.max(left, 0));
      left -= services.length;
      return { ...g, services };
    })
    .filter((g) => g.services.length > 0);
}

/** One item per measurement, in config order: total time, then certificate days for https; none for a service interrupted before it was judged. */
function perfdata(services: ServiceResult[]): string[] {
  const used = new Set<string>();
  // The next number to try per base name: thousands of services named alike stay linear.
  const nextNumber = new Map<string, number>();
  const out: string[] = [];
  for (const service of services) {
    // Cut short by a signal, a service was not measured: the time until the signal is no latency
    // of its own (the Prometheus format leaves it out for the same reason).
    if (service.code === 'interrupted') continue;
    const base = service.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'service';
    let label = base;
    let n = nextNumber.get(base) ?? 2;
    while (used.has(label)) label = `${base}_${n++}`;
    nextNumber.set(base, n);
    used.add(label);
    const facts = service.probes.map(factsOf);
    const totalMs = facts.find((f) => f.latencyMs !== undefined)?.latencyMs ?? service.durationMs;
    out.push(`${label}_total=${(totalMs / 1000).toFixed(3)}s;${service.thresholds.latencyDegradedMs / 1000};;0`);
    const days = facts.find((f) => f.certificateDaysLeft !== undefined)?.certificateDaysLeft;
    if (typeof days === 'number' && service.thresholds.certificateDegradedDays !== undefined) {
      // `N:` ranges alert below N: fewer days left is worse.
      out.push(`${label}_cert_days=${Math.floor(days)};${service.thresholds.certificateDegradedDays}:;${service.thresholds.certificateDownDays ?? 0}:;;`);
    }
  }
  return out;
}
