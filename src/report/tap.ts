/**
 * TAP version 14: one test point per service, YAML diagnostics for every service that is not up.
 * A non-critical failure is `# TODO` (reported, never fatal), mirroring the exit code's rules.
 * A run cut short by a signal ends with `Bail out!`, TAP's word for a run that stopped before its
 * end: a harness then reports the run as aborted, not as a set of tests that merely failed.
 */
import { exitCodeFor } from '../core/status.js';
import { safeJson } from '../core/safe-text.js';
import { serviceCount } from './cells.js';
import { safeReport } from './safe-report.js';
import type { Report, ServiceResult } from '../probes/result.js';

export function renderTap(unsafe: Report): string {
  const report = safeReport(unsafe);
  const lines = ['TAP version 14', `1..${report.services.length}`];
  report.services.forEach((service, index) => {
    const fails = service.status !== 'up' && exitCodeFor(service.status, report.failOn) !== 0;
    const directive = fails && !service.critical ? ` # TODO non-critical service is ${service.status}` : '';
    lines.push(`${fails ? 'not ok' : 'ok'} ${index + 1} - ${description(service.name)}${directive}`);
    if (service.status !== 'up') lines.push(...diagnostics(service));
  });
  for (const warning of report.warnings) lines.push(`# warning: ${warning}`);
  lines.push(`# ${report.status}: ${serviceCount(report.services.length)}, exit code ${report.exitCode}`);
  // Last: a TAP consumer reads nothing after it. Every point is still there, so the plan holds.
  if (report.interrupted) lines.push(bailOut(report));
  return `${lines.join('\n')}\n`;
}

function bailOut(report: Report): string {
  const cut = report.services.filter((s) => s.code === 'interrupted').length;
  return `Bail out! interrupted: ${cut} of ${serviceCount(report.services.length)} cut short, exit code ${report.exitCode}`;
}

/** TAP 14: `#` starts a directive and `\` escapes, so both are escaped in descriptions. */
function description(name: string): string {
  return name.trim().replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

function diagnostics(service: ServiceResult): string[] {
  // JSON strings are valid YAML double-quoted scalars, escapes included — but JSON leaves U+2028,
  // U+2029 and U+0085 raw, and YAML 1.1 parsers read them as line breaks, which broke the block
  // and every test point after it (found by the property test); safeJson escapes those too.
  const field = (key: string, value: string | number | boolean) => `  ${key}: ${safeJson(JSON.stringify(value))}`;
  return [
    '  ---',
    field('status', service.status),
    field('code', service.code ?? service.status),
    field('reason', service.reason),
    field('target', service.target),
    field('critical', service.critical),
    field('duration_ms', service.durationMs),
    '  ...',
  ];
}
