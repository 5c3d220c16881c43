/** `-v`: per-probe lines under the table — phase timings, addresses, hops and certificate chains. */
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../core/duration.js';
import { verboseLines } from '../probes/registry.js';
import type { ProbeResult, Report } from '../probes/result.js';
import { paintStatus } from './colors.js';
import type { Redact } from '../core/redact.js';
import { guardLines } from '../core/safe-text.js';
import { safeReport } from './safe-report.js';

export function renderVerbose(unsafe: Report, chalk: ChalkInstance, redact?: Redact): string {
  const report = safeReport(unsafe, redact);
  const blocks = report.services.map((service) => {
    // A target typed on the command line is its own name: shown once, not `URL URL`.
    const target = service.target === service.name ? '' : ` ${chalk.dim(service.target)}`;
    const lines = [`${chalk.bold(service.name)}${target}`];
    for (const probe of service.probes) {
      const attempts = probe.attempts > 1 ? chalk.dim(` (${probe.attempts} attempts)`) : '';
      lines.push(`  ${probe.kind.padEnd(6)} ${paintStatus(chalk, probe.status).padEnd(12)} ${formatDuration(probe.durationMs).padStart(7)}  ${probe.reason}${attempts}`);
      for (const extra of detailLines(probe)) lines.push(`${' '.repeat(10)}${chalk.dim(extra)}`);
    }
    return lines.join('\n');
  });
  return guardLines(`\n${blocks.join('\n\n')}\n`);
}

function detailLines(probe: ProbeResult): string[] {
  const first = probe.details.firstFailure;
  return [...verboseLines(probe), ...(first ? [`first failure: ${first.code} — ${first.reason}`] : [])];
}
