/**
 * Running services: up to `concurrency` at once, results kept in config order. Within a service
 * the probes run in dependency order inside one deadline per attempt; a failed attempt is retried
 * whole (new lookup, connection and handshake), up to the service's `retries`.
 */
import { setMaxListeners } from 'node:events';
import type { ServiceSpec } from '../config/service.js';
import { createNameResolver } from '../net/resolve.js';
import { PROBES, probesFor, SIDE_PROBES } from '../probes/registry.js';
import type { AttemptState, Observation, ProbeContext, ProbeKind, SubcheckOutcome } from '../probes/types.js';
import { isInterrupted, startDeadline, type Deadline } from './deadline.js';
import { attemptStatus, judge, type Judgement } from './evaluate.js';
import { overrunObservation, withWatchdog } from './watchdog.js';

export interface AttemptRecord {
  observations: Partial<Record<ProbeKind, Observation>>;
  /** A probe threw: a bug in outage, reported as `internal.error` (unknown), never a crash. */
  crashed?: { kind: ProbeKind; reason: string };
  interrupted: boolean;
  durationMs: number;
}

export interface ServiceRun {
  service: ServiceSpec;
  kinds: ProbeKind[];
  attempts: AttemptRecord[];
  durationMs: number;
}

export interface RunOptions {
  concurrency: number;
  /** Aborting it (reason Interrupted) stops in-flight probes and starts no more services. */
  signal?: AbortSignal;
  onServiceDone?: (run: ServiceRun, done: number, total: number) => void;
}

export async function runServices(services: ServiceSpec[], options: RunOptions): Promise<ServiceRun[]> {
  const runs: ServiceRun[] = services.map((service) => ({ service, kinds: probesFor(service), attempts: [], durationMs: 0 }));
  // Every in-flight attempt listens for the interrupt; one internal signal with no listener cap
  // keeps that off the caller's signal (and its MaxListeners warning off the user's terminal).
  const interrupt = new AbortController();
  setMaxListeners(0, interrupt.signal);
  const forward = () => interrupt.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < runs.length && !interrupt.signal.aborted) {
      const run = runs[next++] as ServiceRun;
      await runService(run, interrupt.signal);
      options.onServiceDone?.(run, ++done, runs.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, runs.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
  return runs;
}

async function runService(run: ServiceRun, interrupt: AbortSignal | undefined): Promise<void> {
  const started = performance.now();
  for (let attempt = 0; attempt <= run.service.retries; attempt++) {
    const record = await runAttempt(run.service, run.kinds, interrupt);
    run.attempts.push(record);
    if (record.interrupted || record.crashed) break;
    // The vendor's word never triggers a retry: only what was measured does.
    const judgements = run.kinds.filter((kind) => !SIDE_PROBES.has(kind)).flatMap((kind) => {
      const observation = record.observations[kind];
      return observation ? [judge(observation, run.service)] : [];
    });
    const status = attemptStatus(judgements);
    if (status !== 'down' && status !== 'unknown') break;
  }
  run.durationMs = performance.now() - started;
}

export async function runAttempt(service: ServiceSpec, kinds: ProbeKind[], interrupt?: AbortSignal): Promise<AttemptRecord> {
  const deadline = startDeadline(service.timeoutMs, interrupt);
  const resolver = createNameResolver(service.resolvers, service.timeoutMs);
  deadline.signal.addEventListener('abort', () => resolver.cancel(), { once: true });
  const state: AttemptState = { timings: {}, startedAt: performance.now() };
  const record: AttemptRecord = { observations: {}, interrupted: false, durationMs: 0 };
  const context: ProbeContext = {
    signal: deadline.signal,
    remaining: deadline.remaining,
    resolver,
    state,
    observed: record.observations,
    subcheck: (spec) => runSubcheck(spec, deadline),
  };
  // Returns false when the probe crashed (a bug in outage): the attempt stops there.
  const run = async (kind: ProbeKind): Promise<boolean> => {
    const probe = PROBES[kind] as (s: ServiceSpec, c: ProbeContext) => Promise<Observation>;
    const started = performance.now();
    try {
      record.observations[kind] = await withWatchdog(probe(service, context), deadline.signal, () =>
        overrunObservation(kind, service, deadline.signal, performance.now() - started),
      );
      return true;
    } catch (error) {
      record.crashed ??= { kind, reason: `internal error in the ${kind} probe: ${(error as Error).message}` };
      return false;
    }
  };
  try {
    const side = kinds.filter((k) => SIDE_PROBES.has(k)).map(run);
    for (const kind of kinds.filter((k) => !SIDE_PROBES.has(k))) {
      if (!(await run(kind)) || record.observations[kind]?.failure) break;
    }
    await Promise.all(side);
  } finally {
    record.interrupted = isInterrupted(deadline.signal);
    // A query still out (a CNAME walk past its grace) must not outlive the attempt.
    resolver.cancel();
    deadline.dispose();
    state.tlsSocket?.destroy();
    state.socket?.destroy();
    record.durationMs = performance.now() - state.startedAt;
  }
  return record;
}

/** A host or status endpoint checked inside an attempt: its own probes, the attempt's budget. */
async function runSubcheck(spec: ServiceSpec, parent: Deadline): Promise<SubcheckOutcome> {
  const bounded = { ...spec, timeoutMs: Math.max(1, Math.min(spec.timeoutMs, parent.remaining())) };
  const kinds = probesFor(bounded);
  const record = await runAttempt(bounded, kinds, parent.signal);
  const judgements = kinds.flatMap((kind): Judgement[] => {
    if (record.crashed?.kind === kind) return [{ status: 'unknown', code: 'internal.error', reason: record.crashed.reason }];
    const observation = record.observations[kind];
    return observation ? [judge(observation, bounded)] : [];
  });
  const status = attemptStatus(judgements);
  const cause = judgements.find((j) => j.status === status) ?? judgements.at(-1);
  return { status, code: cause?.code ?? null, reason: cause?.reason ?? 'not checked', durationMs: record.durationMs, observations: record.observations };
}
