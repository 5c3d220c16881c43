/**
 * `outage wait`: re-check until every selected service reaches the wanted state for N
 * consecutive checks — the gate a deploy script runs before (or, with `--until down`, after)
 * touching something. A service that refuses (nothing listening yet) is re-checked every 100 ms,
 * so its start is seen at once; other failures back off to `--interval`, also while another service
 * refuses (only the refusing ones are re-checked meanwhile). Every check gets a sane budget, so
 * the wait's last word is a complete check, never one squeezed into the last moment.
 */
import { prepareCheck, runCheck, redactorFor } from '../check.js';
import { startBudget } from '../core/budget.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { codeDetail, serviceCount } from '../report/cells.js';
import { renderJson } from '../report/json.js';
import { guardLines } from '../core/safe-text.js';
import { safeReport } from '../report/safe-report.js';
import type { Report, ServiceResult } from '../probes/result.js';
import type { ServiceSpec } from '../config/service.js';
import type { Status } from '../core/status.js';
import { formatDuration } from '../core/duration.js';
import { durationFlag, integerFlag, selection, type SelectionFlags, somethingToCheck } from './flags.js';
import { noteOpenFileLimit } from './open-files.js';
import { writeStdout } from './output.js';
import { terminalText } from './terminal.js';
import { sleep, trapSignals } from './signals.js';
import { endWhenReaderGone } from './reader-gone.js';
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

/** After any other failure: first retry soon, doubling on each failed round, never slower than the interval. */
export function nextDelay(intervalMs: number, failedRounds: number): number {
  if (failedRounds === 0) return intervalMs;
  const base = Math.min(intervalMs, 250);
  return Math.min(intervalMs, base * 2 ** (failedRounds - 1));
}

/**
 * Answers that say nothing listens yet, and cost the target nothing (a RST, an ICMP error): the
 * moment the service starts they turn into an answer, so they are re-checked every 100 ms (or at
 * `--interval`, when that is shorter), however long they last — as wait-on polls every 250 ms.
 */
const NOT_LISTENING: ReadonlySet<string | null> = new Set(['tcp.refused', 'tcp.reset', 'tcp.unreachable', 'http.reset']);
/** Of those, the ones something on the path answered (an unreachable address may be this machine's missing route). */
const ANSWERED_REFUSAL: ReadonlySet<string | null> = new Set(['tcp.refused', 'tcp.reset', 'http.reset']);
const QUICK_RECHECK_MS = 100;
/**
 * How much sooner than the last moment a check fits the wait wakes for it: a timer never fires
 * early, and one set to wake exactly then woke a hair past it, found a hair too little left, and
 * ended the wait without the check it had slept for. (So a round is planned only with this much
 * to spare: one that would fit only within it is not started at all.)
 */
const TIMER_SLACK_MS = 50;

/**
 * The least budget a service's next check may start with: ten times what its last check took (at
 * least 100 ms), but no more than 1 s or its own timeout. A service that answers in milliseconds
 * (a refusal, a quick 503) is re-checked to the end of even a short wait; one whose check took
 * 800 ms is not started with less than 1 s — squeezed into the wait's last moments it would report
 * `tcp.timeout … within 1ms` for a service that answers, and that would be the wait's last word.
 */
export function minimumCheckMs(serviceTimeoutMs: number, lastCheckMs: number): number {
  return Math.min(serviceTimeoutMs, 1000, Math.max(100, 10 * lastCheckMs));
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
  somethingToCheck(prepared.services.length, 'wait');
  noteOpenFileLimit(prepared.concurrency, prepared.services.length);
  const redact = redactorFor(prepared.secrets);
  // A non-critical service never decides the exit code (nor the report's status): shown, not
  // awaited — unless nothing critical was selected, when it is what the user asked to wait for.
  // (Told by the results' own flag: their names are redacted, the specs' are not.)
  const anyCritical = prepared.services.some((s) => s.critical);
  const awaits = (service: { critical: boolean }) => service.critical || !anyCritical;
  const isAwaited = (service: ServiceResult | undefined) => service !== undefined && awaits(service);
  const awaitedCount = prepared.services.filter(awaits).length;
  // With --json, stdout holds only the JSON document; progress goes to stderr. Lines are made from
  // the safe report (safe-report.ts) and guarded whole: a reason may quote anything a server said.
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(terminalText(guardLines(redact(`${line}\n`))));
  // Not ready until it is: a reader that stops early (`outage wait … | head -1`) ends the process
  // on EPIPE with the code set so far (cli.ts), which must not be 0 before the services are ready.
  process.exitCode = ExitCode.down;
  const trap = trapSignals();
  // Noticed at once, even while no line is printed (reader-gone.ts): not ready, exit 2.
  const stopWatchingReader = endWhenReaderGone();
  // The spinner draws only on a terminal it can draw on; anywhere else each change is a line.
  const spinner = startSpinner(`waiting for ${serviceCount(prepared.services.length)}`, { color: flags.color });
  // The whole wait is one budget; each round's checks get at most what is left of it.
  const budget = startBudget(timeoutMs, trap.signal);
  // Kept by position, as the services are run in the same order every round: names can be one
  // once redacted (one URL with two passwords), and two services must never share a count.
  const passes: number[] = [];
  const lastState: string[] = [];
  // The last round that completed: an interrupted one is never the wait's last word.
  let report: Report | undefined;
  // An interrupted round, said only when no round completed: each service unknown (interrupted), not a bare count.
  let interruptedRound: Report | undefined;
  let failedRounds = 0;
  // When the canaries last ran and found the network fine, and whether this round is a quick
  // re-check of services that all answered with a refusal (below).
  let networkFineAt = -Infinity;
  let quickRecheck = false;
  // What the next round needs: every service's check must fit (see minimumCheckMs).
  const minimumMs = (only?: readonly number[]) => {
    const minimum = (i: number) => minimumCheckMs(prepared.services[i]?.timeoutMs ?? 0, report?.services[i]?.durationMs ?? prepared.services[i]?.timeoutMs ?? 0);
    return Math.max(...(only ?? prepared.services.map((_, i) => i)).map(minimum));
  };
  /** How long the wait may sleep and still start a full round with its minimum; negative: none fits any more. */
  const untilLastRound = () => budget.remaining() - minimumMs() - TIMER_SLACK_MS;
  // Each round's spec of a service already checked, with the minimum its next check needs.
  const minimumOf = new WeakMap<ServiceSpec, number>();
  /**
   * One round over `services`; no check runs past the wait's end, queued behind --concurrency or
   * not, nor starts there with less than its minimum (see RunOptions.endsAt and queuedFloorMs).
   */
  const checkRound = (services: ServiceSpec[], withCanaries: boolean, remaining: number) =>
    runCheck(
      { ...prepared, services, canaries: withCanaries ? prepared.canaries : [], vantages: [] },
      { signal: trap.signal, remeasure: false, endsAt: performance.now() + remaining, queuedFloorMs: (s) => minimumOf.get(s) },
    );
  /** The services at `indexes`, each check bounded by what is left of the wait. */
  const specsAt = (indexes: readonly number[], remaining: number) =>
    indexes.map((i) => {
      const spec = { ...(prepared.services[i] as ServiceSpec) };
      spec.timeoutMs = Math.min(spec.timeoutMs, Math.max(1, remaining));
      if (report?.services[i]) minimumOf.set(spec, minimumMs([i]));
      return spec;
    });
  /**
   * Until `fullAt`, only the services that refused are re-checked, every 100 ms; the struggling ones
   * keep their back-off. Returns as soon as one of them answers (a full round then follows at once,
   * so the wait's word on every service is still one complete check), or at `fullAt` (never later
   * than a full round still fits: see untilLastRound).
   */
  const listenMeanwhile = async (refusing: readonly number[], fullAt: number): Promise<void> => {
    for (;;) {
      const pause = Math.min(intervalMs, QUICK_RECHECK_MS);
      if (performance.now() + pause >= fullAt) return sleep(Math.max(0, fullAt - performance.now()), trap.signal);
      await sleep(pause, trap.signal);
      const remaining = budget.remaining();
      if (trap.signal.aborted || remaining < minimumMs(refusing)) return;
      // The canaries only when an unreachable address may be this machine's missing route: the full
      // rounds, never further apart than --interval, run them otherwise (as a quick one does, once
      // per --interval). Run here too they were asked twice per --interval, and a re-check with a
      // slow one in it put off the full round after it, the wait's last one past its end.
      const withCanaries = !refusing.every((i) => ANSWERED_REFUSAL.has(report?.services[i]?.code ?? null));
      const started = performance.now();
      const quick = await checkRound(specsAt(refusing, remaining), withCanaries, remaining);
      if (trap.signal.aborted || quick.services.some((s) => s.code === 'interrupted')) return;
      if (withCanaries && quick.localNetwork?.ok !== false) networkFineAt = started;
      // Listening now, or failing another way: the full round says what it is. (A refusal that
      // turns into a reset, or back, is still nothing listening: not worth a check of the others.)
      if (quick.services.some((service) => !NOT_LISTENING.has(service.code))) return;
    }
  };

  try {
    while (!trap.signal.aborted) {
      const remaining = budget.remaining();
      // The first round always runs, with whatever the wait has (1 ms at least: start-up may have
      // used up a `--timeout 1ms`); later ones start only with a sane budget.
      if (report && remaining < minimumMs()) break;
      const services = specsAt(prepared.services.map((_, i) => i), remaining);
      // A gate waits on this machine's view: vantages would only add another machine's latency.
      // No second measurement inside a round: the wait's own deadline bounds every round, and the
      // next round is the measurement again (a doubtful timeout is not up, so the wait goes on).
      // The canaries (local-network diagnosis) beside a service refused every 100 ms were, with
      // the built-in ones, HTTPS to 1.1.1.1 and 8.8.8.8 ten times a second for the whole wait. A
      // quick re-check goes without them while, within the last --interval, they found the
      // network fine and every service not ready answered with a refusal or a reset (something
      // answered: there is a route). An unreachable address, a timeout or a DNS failure keeps them
      // in every round, so a wait on a network that is gone says so steadily, not by turns.
      const withCanaries = !quickRecheck || performance.now() - networkFineAt >= intervalMs;
      const roundStarted = performance.now();
      const checked = await checkRound(services, withCanaries, remaining);
      if (trap.signal.aborted) {
        interruptedRound = checked;
        break;
      }
      // A service with no check at all (the only `interrupted` without a signal) queued until too
      // little of the wait was left: the round is incomplete, and the wait is over.
      const round = notCheckedSaid(checked, prepared.concurrency);
      if (round.services.some((s) => s.code === 'interrupted')) {
        interruptedRound = round;
        break;
      }
      report = round;
      if (withCanaries && round.localNetwork?.ok !== false) networkFineAt = roundStarted;
      const shown = safeReport(round, redact).services;
      round.services.forEach((service, i) => {
        passes[i] = reached(service.status, flags.until) ? (passes[i] ?? 0) + 1 : 0;
        const state = describe(service);
        if (!spinner.active && lastState[i] !== state) say(`${clock()} ${shown[i]?.name} ${state}`);
        lastState[i] = state;
      });
      const isPending = (s: ServiceResult | undefined, i: number) => isAwaited(s) && (passes[i] ?? 0) < stable;
      const pending = round.services.filter(isPending);
      if (pending.length === 0) {
        await spinner.stop();
        const ready = shown.filter(isAwaited);
        const others = ready.length < shown.length ? ` (non-critical, not waited for: ${shown.filter((s) => !isAwaited(s)).map((s) => s.name).join(', ')})` : '';
        say(`ready: ${ready.length === 1 ? ready[0]?.name : `all ${ready.length} services`} ${flags.until}${stable > 1 ? ` for ${stable} checks in a row` : ''}${others}`);
        process.exitCode = 0;
        if (flags.json) await writeStdout(redact(renderJson({ ...round, exitCode: 0 }, redact)));
        return 0;
      }
      const names = shown.filter((_, i) => isPending(round.services[i], i));
      spinner.text(redact(`waiting for ${names.map((s) => `${s.name} (${codeDetail(s)})`).join(', ')} · ${formatDuration(budget.remaining())} left`));
      const counting = round.services.every((s, i) => !isPending(s, i) || (passes[i] ?? 0) > 0);
      failedRounds = counting ? 0 : failedRounds + 1;
      const refusing = round.services.flatMap((s, i) => (isPending(s, i) && NOT_LISTENING.has(s.code) ? [i] : []));
      const notListening = !counting && refusing.length > 0;
      quickRecheck = notListening && pending.every((s) => ANSWERED_REFUSAL.has(s.code));
      // A service that refuses is re-checked every 100 ms; one that struggles (a 503, a timeout)
      // keeps its back-off even then, or a wait on both would ask it ten times a second — one still
      // awaited and short of the wanted state, or any other whose last check failed: shown but not
      // waited for (critical: false), or already ready (`--until degraded`, and degraded).
      const struggling = round.services.some((s, i) => !NOT_LISTENING.has(s.code) && (isPending(s, i) ? !reached(s.status, flags.until) : s.status !== 'up'));
      // Leave the next check its minimum budget: sleep less rather than squeeze the check, and
      // when no check would fit after a sleep, this round was the wait's last word.
      const room = untilLastRound();
      if (room < 0) break;
      if (notListening && struggling) {
        // The full round comes on the back-off, or while one still fits, as below: the refusing
        // ones alone were checked to the wait's end, its last word on the struggling one as old as
        // the back-off (up to --interval), a 503 for a service up for the last second.
        await listenMeanwhile(refusing, performance.now() + Math.min(nextDelay(intervalMs, failedRounds), room));
        continue;
      }
      const delay = notListening ? Math.min(intervalMs, QUICK_RECHECK_MS) : nextDelay(intervalMs, failedRounds);
      await sleep(Math.min(delay, room), trap.signal);
    }
  } finally {
    await spinner.stop();
    budget.dispose();
    trap.dispose();
    stopWatchingReader();
  }

  const last = report ?? interruptedRound;
  // In an interrupted round, a service that did finish was measured: counted as it would have been.
  const passesOf = (s: ServiceResult, i: number) => (report ? (passes[i] ?? 0) : reached(s.status, flags.until) ? 1 : 0);
  const notReady = last ? safeReport(last, redact).services.filter((_, i) => isAwaited(last.services[i]) && passesOf(last.services[i] as ServiceResult, i) < stable) : [];
  // Ended before the deadline when another check would not fit: said as it is, not as the whole --timeout.
  const left = budget.remaining();
  const waited = left >= 10 ? `${formatDuration(timeoutMs - left)} (too little of the ${formatDuration(timeoutMs)} left for another check)` : formatDuration(timeoutMs);
  const why = trap.received() ? `interrupted by ${trap.received()}` : `not ${flags.until} after ${waited}`;
  say(`${why}: ${last ? notReady.length : awaitedCount} of ${awaitedCount} services not ready`);
  for (const s of notReady) say(`  ${s.name}: ${describe(s)} — ${s.reason}`);
  const exitCode = trap.received() ? trap.exitCode() : ExitCode.down;
  process.exitCode = exitCode;
  // With --json stdout always holds a document, as `check --json` interrupted does (`interrupted: true`),
  // stating the code wait exits with rather than the last round's own.
  if (flags.json && last) await writeStdout(redact(renderJson({ ...last, exitCode }, redact)));
  return exitCode;
}

/** A service the wait's end left unchecked, said as such rather than as a run interrupted (by no one). */
function notCheckedSaid(round: Report, concurrency: number): Report {
  const reason = `not checked: the wait's --timeout ran out while it queued behind --concurrency ${concurrency}`;
  return { ...round, services: round.services.map((s) => (s.code === 'interrupted' ? { ...s, reason } : s)) };
}

function describe(service: ServiceResult): string {
  return service.status === 'up' ? 'up' : `${service.status} (${codeDetail(service)})`;
}

export function clock(date = new Date()): string {
  return date.toTimeString().slice(0, 8);
}
