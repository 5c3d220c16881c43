/**
 * Running services: up to `concurrency` at once, results kept in config order. Within a service
 * the probes run in dependency order inside one budget per attempt; a failed attempt is retried
 * whole (new lookup, connection and handshake), up to the service's `retries`. A service whose
 * verdict rested on outage's own load is measured again once the others are done, a few at a
 * time, and that measurement replaces the doubtful one (see probes/own-load.ts).
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { budgetSpent, isInterrupted, startBudget, type Budget } from '../core/budget.js';
import type { ProbeKind } from '../core/probe-kind.js';
import type { ServiceSpec } from '../config/service.js';
import { attemptFailed, restsOnOwnLoad } from '../judge/attempts.js';
import { createNameResolver } from '../net/dns-resolver.js';
import { concurrencyWithinLimit } from '../net/open-file-limit.js';
import type { AttemptRecord, AttemptState, ProbeContext, ServiceRun } from '../probes/contract.js';
import type { Observation } from '../probes/observation.js';
import { isSideProbe, KINDS, probesFor, timedOutObservation, type KindRegistry } from '../probes/registry.js';
import type { SubcheckRecord } from '../probes/subcheck-record.js';
import { createAdmission } from './admission.js';
import { withWatchdog } from './watchdog.js';

/**
 * Services measured again because outage's own load clouded their first measurement run at most
 * this many at a time: few enough that the loop stays idle between their callbacks, so what is
 * measured is the target.
 */
export const REMEASURE_CONCURRENCY = 16;

export interface RunOptions {
  concurrency: number;
  /** Aborting it (reason Interrupted) stops in-flight probes and starts no more services. */
  signal?: AbortSignal;
  onServiceDone?: (run: ServiceRun, done: number, total: number) => void;
  /** The probe kinds to run with: the registry, or a test's stand-ins. */
  kinds?: KindRegistry;
  /**
   * false: a doubtful measurement is judged as it stands, never measured again (a scrape must
   * answer within its timeout, and a second measurement may take a whole budget more).
   */
  remeasure?: boolean;
  /** How many services were measured again because outage's own load clouded their first measurement, and how many at once. */
  onRemeasured?: (count: number, concurrency: number) => void;
  /**
   * Each service's attempts end within this many ms of its start (`outage serve`: a scrape's
   * timeout). An attempt gets its timeout or what is left, whichever is less; a retry starts only
   * with a useful part of its timeout left. Splitting the budget evenly instead had a target that
   * answers in 6 s down within a 10 s scrape, where blackbox_exporter, which never retries, saw it up.
   */
  deadlineMs?: number;
  /**
   * No attempt runs past this moment (performance.now() clock): `outage wait`'s --timeout. A
   * service queued behind the concurrency cap gets what is left when its turn comes, and is not
   * started at all (no attempt: "not checked") with less than MIN_QUEUED_MS of it left, rather than
   * checked in a sliver and reported `timeout … within 3ms`. Each service's budget used to be what
   * was left when the round began, so services queued behind hanging ones carried the wait seconds
   * past its --timeout. The first in each lane always runs. Not a retry's 1 s: the wait gives each
   * service what it has left as its timeout, so a queued one never had that much left, and two
   * healthy services at `--concurrency 1` were never both checked in a wait's last second.
   */
  endsAt?: number;
  /**
   * More than MIN_QUEUED_MS that a queued service needs left to be started (see endsAt), when its
   * caller knows: `outage wait`'s minimum for a service whose last check took 500 ms is 1 s
   * (commands/wait.ts, minimumCheckMs), and checked in the 300 ms the floor let through, it timed
   * out, the wait's last word on a service that had answered every time.
   */
  queuedFloorMs?: (service: ServiceSpec) => number | undefined;
}

/** A retry within a deadline needs at least this much of its timeout left, or it is not started. */
const MIN_RETRY_MS = 1000;

/**
 * A service queued until its run's end is this near (see RunOptions.endsAt) is not started: as
 * `outage wait` re-checks a service that answers in milliseconds to the end of even a short wait
 * (commands/wait.ts, minimumCheckMs), 100 ms checks it; less only times out.
 */
const MIN_QUEUED_MS = 100;

export async function runServices(services: ServiceSpec[], options: RunOptions): Promise<ServiceRun[]> {
  const kinds = options.kinds ?? KINDS;
  const runs: ServiceRun[] = services.map((service) => ({ service, kinds: probesFor(service), attempts: [], durationMs: 0 }));
  // Every in-flight attempt listens for the interrupt; one internal signal with no listener cap
  // keeps that off the caller's signal (and its MaxListeners warning off the user's terminal).
  const interrupt = new AbortController();
  setMaxListeners(0, interrupt.signal);
  const forward = () => interrupt.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });

  let done = 0;
  // Starts are paced by outage's own responsiveness, so its CPU is never the target's latency.
  await prewarmTlsFor(services);
  const admission = createAdmission();
  interrupt.signal.addEventListener('abort', () => admission.close(), { once: true });
  const lanes = (width: number, items: readonly ServiceRun[], each: (run: ServiceRun) => Promise<void>) =>
    inLanes(width, items, async (run) => {
      await admission.admit();
      if (!interrupt.signal.aborted) await each(run);
    }, interrupt.signal);
  try {
    // No more at once than the open-file limit leaves sockets for (commands say so on stderr).
    const width = Math.max(1, Math.min(concurrencyWithinLimit(options.concurrency), runs.length));
    const firstInLane = new Set(runs.slice(0, width));
    await lanes(width, runs, async (run) => {
      const endsAt = options.endsAt ?? Infinity;
      const queuedTooLong = !firstInLane.has(run) && endsAt - performance.now() < Math.min(Math.max(MIN_QUEUED_MS, options.queuedFloorMs?.(run.service) ?? 0), run.service.timeoutMs);
      if (!queuedTooLong) await runService(run, kinds, interrupt.signal, options.remeasure !== false, options.deadlineMs, endsAt);
      options.onServiceDone?.(run, ++done, runs.length);
    });
    // Measured again: a verdict that rested on outage's own load, now that the run is quiet.
    const doubtful = options.remeasure === false ? [] : runs.filter((run) => restsOnLoad(run));
    const quiet = Math.min(REMEASURE_CONCURRENCY, concurrencyWithinLimit(options.concurrency), doubtful.length);
    await lanes(quiet, doubtful, (run) => remeasure(run, kinds, interrupt.signal));
    const remeasured = doubtful.filter((run) => run.remeasured).length;
    if (remeasured > 0) options.onRemeasured?.(remeasured, quiet);
  } finally {
    admission.close();
    options.signal?.removeEventListener('abort', forward);
  }
  return runs;
}

/** `each` over `items` in order, at most `width` at a time; none starts once `signal` is aborted. */
async function inLanes<T>(width: number, items: readonly T[], each: (item: T) => Promise<void>, signal: AbortSignal): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length && !signal.aborted) await each(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/**
 * The one-off TLS set-up (prewarm.ts), loaded only for a run with TLS services: with it come
 * node:tls and node:crypto (~6 ms of start-up), which a plain-HTTP run never needs.
 */
export async function prewarmTlsFor(services: readonly ServiceSpec[]): Promise<void> {
  if (services.some((s) => s.tls)) (await import('./prewarm.js')).prewarmTls(services);
}

async function runService(run: ServiceRun, kinds: KindRegistry, interrupt: AbortSignal | undefined, remeasuring: boolean, deadlineMs: number | undefined, endsAt: number): Promise<void> {
  const started = performance.now();
  await attemptsUntilDone(run, kinds, interrupt, remeasuring, Math.min(deadlineMs === undefined ? Infinity : started + deadlineMs, endsAt));
  run.durationMs = performance.now() - started;
}

/**
 * Attempts appended until one does not fail, or the service's retries are used up. An attempt
 * that failed only on outage's own load is not retried when the service will be measured again
 * anyway: a retry spent on outage's doubt would be one fewer for the target's own flaps.
 */
async function attemptsUntilDone(run: ServiceRun, kinds: KindRegistry, interrupt: AbortSignal | undefined, remeasuring: boolean, endsAt = Infinity): Promise<void> {
  while (run.attempts.length <= run.service.retries) {
    const left = Math.floor(endsAt - performance.now());
    if (run.attempts.length > 0 && left < Math.min(MIN_RETRY_MS, run.service.timeoutMs)) break;
    const service = left < run.service.timeoutMs ? { ...run.service, timeoutMs: Math.max(1, left) } : run.service;
    const record = await runAttempt(service, run.kinds, kinds, interrupt);
    run.attempts.push(record);
    if (record.interrupted || record.crashed || !attemptFailed(record, run.kinds, run.service)) break;
    if (remeasuring && restsOnLoad(run)) break;
  }
}

/** Whether a service's deciding attempt rested on outage's own load (and so is worth measuring again). */
function restsOnLoad(run: ServiceRun): boolean {
  const last = run.attempts.at(-1);
  return last !== undefined && !last.interrupted && !last.crashed && restsOnOwnLoad(last, run.kinds, run.service);
}

/**
 * The doubtful attempt is replaced, not added to: it measured outage, not the target, so it is
 * neither a failed attempt nor a flap. A failure now is retried as in the first pass; an
 * interrupted measurement leaves the first one standing. Still doubtful: judged as it stands.
 */
async function remeasure(run: ServiceRun, kinds: KindRegistry, interrupt: AbortSignal): Promise<void> {
  const doubtful = run.attempts.pop() as AttemptRecord;
  const kept = run.attempts.length;
  const started = performance.now();
  // Measured again once, with the service's retries; whatever this shows is judged as it stands.
  await attemptsUntilDone(run, kinds, interrupt, false);
  if (run.attempts[kept]?.interrupted) {
    run.attempts.splice(kept, Infinity, doubtful);
    return;
  }
  run.durationMs += performance.now() - started - doubtful.durationMs;
  run.remeasured = true;
}

export async function runAttempt(service: ServiceSpec, planned: ProbeKind[], kinds: KindRegistry = KINDS, interrupt?: AbortSignal): Promise<AttemptRecord> {
  const budget = startBudget(service.timeoutMs, interrupt);
  const resolver = createNameResolver(service.resolvers, budget.totalMs);
  budget.signal.addEventListener('abort', () => resolver.cancel(), { once: true });
  const state: AttemptState = { timings: {}, startedAt: performance.now() };
  // outage's own busy time since the attempt began: every callback delay its timings suffer lies in it.
  const busyAtStart = performance.eventLoopUtilization().active;
  const record: AttemptRecord = { observations: {}, interrupted: false, durationMs: 0 };
  const context: ProbeContext = {
    signal: budget.signal,
    remaining: budget.remaining,
    resolver,
    state,
    observed: record.observations,
    // A subcheck (a host, an asset host the page named) obeys its service's address guard.
    subcheck: (spec) => runSubcheck(service.addressGuard && !spec.addressGuard ? { ...spec, addressGuard: service.addressGuard } : spec, kinds, budget),
  };
  // Returns false when the probe crashed (a bug in outage): the attempt stops there.
  const run = async (kind: ProbeKind): Promise<boolean> => {
    const started = performance.now();
    try {
      const observation: Observation = await withWatchdog(kinds[kind].probe(service, context), budget.signal, () =>
        timedOutObservation(kind, service, budgetSpent(budget.signal), performance.now() - started),
      );
      // Set on the probe's own object, not a copy: a probe may still complete it after returning
      // (the DNS family still out when connecting began, see AttemptState.settling).
      observation.ownBusyMs = performance.eventLoopUtilization().active - busyAtStart;
      // Keyed by the observation's own kind, so an observation can only ever sit under its kind.
      record.observations = { ...record.observations, [observation.kind]: observation };
      context.observed = record.observations;
      return true;
    } catch (error) {
      record.crashed ??= { kind, reason: `internal error in the ${kind} probe: ${(error as Error).message}` };
      return false;
    }
  };
  try {
    const side = planned.filter(isSideProbe).map(run);
    let reached = true;
    for (const kind of planned.filter((k) => !isSideProbe(k))) {
      if (!(await run(kind)) || record.observations[kind]?.failure) {
        reached = false;
        break;
      }
    }
    await Promise.all(side);
    // A family that was still out when connecting began has its say before a reached service is
    // judged (degraded, not up). One that failed is down already: it is not held up for that.
    if (reached && state.settling) {
      await untilDeadline(state.settling, budget.signal);
      // The lookup completed its observation only now: its busy time runs to here.
      const dns = record.observations.dns;
      if (dns) dns.ownBusyMs = performance.eventLoopUtilization().active - busyAtStart;
    }
  } finally {
    record.interrupted = isInterrupted(budget.signal);
    // A query still out (a CNAME walk past its grace) must not outlive the attempt.
    resolver.cancel();
    budget.dispose();
    state.tlsSocket?.destroy();
    state.socket?.destroy();
    record.durationMs = performance.now() - state.startedAt;
  }
  return record;
}

/** Wait for `work`, but never past the attempt's deadline (or an interrupt). */
async function untilDeadline(work: Promise<void>, signal: AbortSignal): Promise<void> {
  let stop: () => void = () => {};
  // At the deadline the work ends at once (everything it waits on hears the same signal): one
  // turn of the event loop lets it record what timed out.
  const stopped = new Promise<void>((resolve) => (stop = () => setImmediate(resolve)));
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([work, stopped]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** A host or status endpoint checked inside an attempt: its own probes, the attempt's budget. */
async function runSubcheck(spec: ServiceSpec, kinds: KindRegistry, parent: Budget): Promise<SubcheckRecord> {
  const bounded = { ...spec, timeoutMs: Math.max(1, Math.min(spec.timeoutMs, parent.remaining())) };
  const record = await runAttempt(bounded, probesFor(bounded), kinds, parent.signal);
  return { observations: record.observations, durationMs: record.durationMs, ...(record.crashed ? { crashed: record.crashed } : {}) };
}
