/**
 * `outage wait`: re-check until every selected service reaches the wanted state for N
 * consecutive checks — the gate a deploy script runs before (or, with `--until down`, after)
 * touching something. Polls quickly at first and backs off to `--interval` while it keeps failing.
 */
import { prepareCheck, runCheck } from '../check.js';
import { startBudget } from '../core/budget.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { codeDetail } from '../report/cells.js';
import { renderJson } from '../report/json.js';
import { createRedactor } from '../core/redact.js';
import type { Report, ServiceResult } from '../probes/result.js';
import type { Status } from '../core/status.js';
import { formatDuration } from '../core/duration.js';
import { durationFlag, integerFlag, selection, type SelectionFlags } from './flags.js';
import { writeStdout } from './output.js';
import { sleep, trapSignals } from './signals.js';
import { startSpinner } from './spinner.js';

export type Until = 'up' | 'degraded' | 'down';

export interface WaitFlags extends SelectionFlags {
  timeout: string;
  interval: string;
  until: Until;
  stable: string;
  probeTimeout?: string;
  json?: boolean;
}

/** Whether a status counts as reached: `degraded` accepts up too; `down` means gone. */
export function reached(status: Status, until: Until): boolean {
  if (until === 'up') return status === 'up';
  if (until === 'degraded') return status === 'up' || status === 'degraded';
  return status === 'down';
}

/** First retry soon, doubling on each failed round, never slower than the interval. */
export function nextDelay(intervalMs: number, failedRounds: number): number {
  if (failedRounds === 0) return intervalMs;
  const base = Math.min(intervalMs, 250);
  return Math.min(intervalMs, base * 2 ** (failedRounds - 1));
}

export async function runWaitCommand(targets: string[], flags: WaitFlags): Promise<number> {
  const timeoutMs = durationFlag('--timeout', flags.timeout) as number;
  const intervalMs = durationFlag('--interval', flags.interval) as number;
  const stable = integerFlag('--stable', flags.stable, 1, 1000) as number;
  if (!['up', 'degraded', 'down'].includes(flags.until)) throw new UsageError(`--until must be up, degraded or down`);
  const prepared = await prepareCheck({
    ...selection(targets, flags),
    // The loop is the retry: one attempt per round, so a state change shows up at once.
    retries: 0,
    timeoutMs: durationFlag('--probe-timeout', flags.probeTimeout),
  });
  const redact = createRedactor(prepared.secrets);
  // With --json, stdout holds only the JSON document; progress goes to stderr.
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(redact(`${line}\n`));
  const trap = trapSignals();
  // The spinner draws only on a terminal it can draw on; anywhere else each change is a line.
  const spinner = startSpinner(`waiting for ${prepared.services.length} services`, { color: flags.color });
  // The whole wait is one budget; each round's attempts get at most what is left of it.
  const budget = startBudget(timeoutMs, trap.signal);
  const passes = new Map<string, number>();
  const lastState = new Map<string, string>();
  let report: Report | undefined;
  let failedRounds = 0;

  try {
    while (!trap.signal.aborted) {
      const remaining = budget.remaining();
      if (remaining <= 0) break;
      const services = prepared.services.map((s) => ({ ...s, timeoutMs: Math.max(1, Math.min(s.timeoutMs, remaining)) }));
      report = await runCheck({ ...prepared, services }, { signal: trap.signal });
      if (trap.signal.aborted) break;
      for (const service of report.services) {
        const ok = reached(service.status, flags.until);
        passes.set(service.name, ok ? (passes.get(service.name) ?? 0) + 1 : 0);
        const state = describe(service);
        if (!spinner.active && lastState.get(service.name) !== state) say(`${clock()} ${service.name} ${state}`);
        lastState.set(service.name, state);
      }
      const pending = report.services.filter((s) => (passes.get(s.name) ?? 0) < stable);
      if (pending.length === 0) {
        await spinner.stop();
        say(`ready: ${report.services.length === 1 ? report.services[0]?.name : `all ${report.services.length} services`} ${flags.until}${stable > 1 ? ` for ${stable} checks in a row` : ''}`);
        if (flags.json) await writeStdout(redact(renderJson(report)));
        return 0;
      }
      spinner.text(redact(`waiting for ${pending.map((s) => `${s.name} (${codeDetail(s)})`).join(', ')} · ${formatDuration(budget.remaining())} left`));
      failedRounds = pending.every((s) => (passes.get(s.name) ?? 0) > 0) ? 0 : failedRounds + 1;
      await sleep(Math.min(nextDelay(intervalMs, failedRounds), budget.remaining()), trap.signal);
    }
  } finally {
    await spinner.stop();
    budget.dispose();
    trap.dispose();
  }

  const notReady = (report?.services ?? []).filter((s) => (passes.get(s.name) ?? 0) < stable);
  const why = trap.received() ? `interrupted by ${trap.received()}` : `not ${flags.until} after ${formatDuration(timeoutMs)}`;
  say(`${why}: ${notReady.length} of ${report?.services.length ?? prepared.services.length} services not ready`);
  for (const s of notReady) say(`  ${s.name}: ${s.status} (${codeDetail(s)}) — ${s.reason}`);
  if (flags.json && report) await writeStdout(redact(renderJson(report)));
  return trap.received() ? trap.exitCode() : ExitCode.down;
}

function describe(service: ServiceResult): string {
  return service.status === 'up' ? 'up' : `${service.status} (${codeDetail(service)})`;
}

export function clock(date = new Date()): string {
  return date.toTimeString().slice(0, 8);
}
