/**
 * Judging attempts: what one attempt shows (used to decide a retry), what a subcheck shows, and
 * how a probe's judgements combine across retries. Pure functions of observations.
 */
import { worstFirst } from '../core/status.js';
import { isLocalFailure } from '../core/failure.js';
import type { Judgement } from '../core/result.js';
import type { ProbeKind } from '../core/probe-kind.js';
import type { ServiceSpec } from '../config/service.js';
import type { AttemptRecord } from '../probes/contract.js';
import type { JudgeContext } from '../probes/kind.js';
import type { Observed } from '../probes/observation.js';
import { isSideProbe, judgeObservation, probesFor } from '../probes/registry.js';
import type { ProbeCrash, SubcheckRecord } from '../probes/subcheck-record.js';

/** What a kind's judgement may ask of the judge (the hosts and status-page kinds judge subchecks). */
export const JUDGE_CONTEXT: JudgeContext = { judgeSubcheck };

/** A probe's judgement in one attempt; undefined when it did not run (an earlier probe failed). */
export function judgeInAttempt(kind: ProbeKind, observed: Observed, crashed: ProbeCrash | undefined, service: ServiceSpec): Judgement | undefined {
  if (crashed?.kind === kind) return { status: 'unknown', code: 'internal.error', reason: crashed.reason };
  const observation = observed[kind];
  return observation ? judgeObservation(observation, service, JUDGE_CONTEXT) : undefined;
}

/**
 * Whether an attempt failed in a way another attempt could change: the worst of what it measured
 * is down or unknown. The vendor's word (side probes) never triggers a retry: only what was
 * measured does. Nor does an address `outage serve` refused to connect to (`tcp.forbidden`): its
 * policy would refuse it again, and the attempt never reached the target.
 */
export function attemptFailed(record: AttemptRecord, kinds: readonly ProbeKind[], service: ServiceSpec): boolean {
  const judgements = kinds.filter((kind) => !isSideProbe(kind)).flatMap((kind) => {
    const observation = record.observations[kind];
    return observation ? [judgeObservation(observation, service, JUDGE_CONTEXT)] : [];
  });
  const { status, cause } = worstFirst(judgements);
  return (status === 'down' || status === 'unknown') && cause?.code !== 'tcp.forbidden';
}

/** A host or status endpoint checked inside an attempt, judged as a service would be: its worst probe. */
export function judgeSubcheck(record: SubcheckRecord, spec: ServiceSpec): Judgement {
  const judgements = probesFor(spec).flatMap((kind) => judgeInAttempt(kind, record.observations, record.crashed, spec) ?? []);
  const { status, cause } = worstFirst(judgements);
  const chosen = cause ?? judgements.at(-1);
  return { status, code: chosen?.code ?? null, reason: chosen?.reason ?? 'not checked', ...(judgements.some((j) => j.ownLoad) ? { ownLoad: true } : {}) };
}

/**
 * Whether what an attempt measured rests on outage's own load (see probes/own-load.ts): a time
 * over a threshold, or a timeout, that outage's own busy loop may account for. The scheduler
 * measures such a service again once the run is quiet. The vendor's word is not a measurement.
 */
export function restsOnOwnLoad(record: AttemptRecord, kinds: readonly ProbeKind[], service: ServiceSpec): boolean {
  return kinds.some((kind) => !isSideProbe(kind) && judgeInAttempt(kind, record.observations, record.crashed, service)?.ownLoad === true);
}

/**
 * Combine a probe's judgements across attempts. The last attempt decides, except that a failure
 * cured by a retry still counts: the probe is degraded and keeps the first failure's code, so a
 * flapping service is never reported as simply up.
 */
export function combineAttempts(kind: ProbeKind, perAttempt: (Judgement | 'skipped' | undefined)[]): Judgement & { firstFailure?: Judgement } {
  const last = perAttempt.at(-1);
  if (last === undefined || last === 'skipped') {
    return { status: 'skipped', code: null, reason: `skipped: an earlier probe failed before ${kind}` };
  }
  // outage's own limits (local.resources) said nothing of the target: a retry that got through is simply up.
  const firstFailure = perAttempt.find((j): j is Judgement => typeof j === 'object' && (j.status === 'down' || j.status === 'unknown') && !isLocalFailure(j.code));
  if (firstFailure && firstFailure !== last && (last.status === 'up' || last.status === 'degraded')) {
    const attempt = perAttempt.indexOf(firstFailure) + 1;
    return {
      status: 'degraded',
      code: firstFailure.code,
      reason: `recovered on attempt ${perAttempt.length} after ${firstFailure.reason} (attempt ${attempt})`,
      firstFailure,
    };
  }
  return last;
}
