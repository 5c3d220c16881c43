/**
 * A service's result from its attempts: each probe judged per attempt and combined across
 * retries; the service's status is the worst measured probe and its reason the first probe, in
 * dns → tcp → tls → http order, that has that status — the root cause, not its consequences.
 * Side probes (the vendor's status page) then adjust what was measured, by their own policy.
 */
import { roundMs } from '../core/round.js';
import { worstFirst, type Status } from '../core/status.js';
import type { FailureCode } from '../core/failure.js';
import type { Judgement } from '../core/result.js';
import type { ServiceRun } from '../probes/contract.js';
import { adjustMeasured, isSideProbe, probeResult } from '../probes/registry.js';
import type { ProbeResult, ServiceResult } from '../probes/result.js';
import { combineAttempts, JUDGE_CONTEXT, judgeInAttempt } from './attempts.js';

export function judgeService(run: ServiceRun): ServiceResult {
  const { service } = run;
  const probes = run.kinds.map((kind): ProbeResult => {
    const perAttempt = run.attempts.map((attempt): Judgement | 'skipped' | undefined => {
      const observation = attempt.observations[kind];
      if (attempt.crashed?.kind !== kind && attempt.interrupted && observation?.failure) {
        return { status: 'unknown', code: 'interrupted', reason: 'stopped before it finished' };
      }
      return judgeInAttempt(kind, attempt.observations, attempt.crashed, service) ?? 'skipped';
    });
    // Whether the verdict rested on outage's own load is the scheduler's business, not the report's.
    const { ownLoad: _, ...judged } = combineAttempts(kind, perAttempt);
    const ran = run.attempts.flatMap((a) => a.observations[kind] ?? []);
    const last = ran.at(-1);
    return probeResult(kind, last, { ...judged, durationMs: roundMs(last?.durationMs ?? 0), attempts: ran.length }, JUDGE_CONTEXT);
  });

  if (run.attempts.length === 0) {
    return base(run, 'unknown', 'interrupted', 'not checked: the run was interrupted first', probes);
  }
  // What was measured decides; side probes have their say afterwards.
  const measured = probes.filter((p) => !isSideProbe(p.kind));
  const { status, cause } = worstFirst(measured);
  const reason = status === 'up' ? (measured.at(-1)?.reason ?? 'up') : (cause?.reason ?? status);
  let result = base(run, status, status === 'up' ? null : (cause?.code ?? null), reason, probes);
  for (const probe of probes) {
    if (isSideProbe(probe.kind) && probe.status !== 'skipped') result = adjustMeasured(result, probe, service);
  }
  return result;
}

function base(run: ServiceRun, status: Status, code: FailureCode | null, reason: string, probes: ProbeResult[]): ServiceResult {
  return {
    name: run.service.name,
    target: run.service.target,
    status,
    code,
    reason,
    critical: run.service.critical,
    tags: run.service.tags,
    durationMs: roundMs(run.durationMs),
    thresholds: {
      latencyDegradedMs: run.service.latencyDegradedMs,
      ...(run.service.tls ? { certificateDegradedDays: run.service.tls.certificate.degradedDays, certificateDownDays: run.service.tls.certificate.downDays } : {}),
    },
    probes,
  };
}
