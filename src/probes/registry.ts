/**
 * The one place that knows every probe kind. Adding a kind is a folder under src/probes/ and a
 * line here; dispatch never branches on the kind anywhere else — callers ask the registry.
 */
import { saysNothingOfTarget, type Failure } from '../core/failure.js';
import { PROBE_KINDS, type ProbeKind } from '../core/probe-kind.js';
import type { Judgement } from '../core/result.js';
import type { ServiceSpec } from '../config/service.js';
import { dnsKind } from './dns/index.js';
import { hostsKind } from './hosts/index.js';
import { httpKind } from './http/index.js';
import type { JudgeContext, NetworkLayer, ProbeFacts, ProbeKindModule } from './kind.js';
import type { Observation, ObservationByKind } from './observation.js';
import { timeoutOnOwnLoad } from './own-load.js';
import { proxyKind } from './proxy/index.js';
import type { DetailsByKind, ProbeResultOf, ServiceResult } from './result.js';
import { statusPageKind } from './status-page/index.js';
import { tcpKind } from './tcp/index.js';
import { tlsKind } from './tls/index.js';

export type KindRegistry = { readonly [K in ProbeKind]: ProbeKindModule<K> };

export const KINDS: KindRegistry = {
  dns: dnsKind,
  tcp: tcpKind,
  proxy: proxyKind,
  tls: tlsKind,
  http: httpKind,
  hosts: hostsKind,
  status: statusPageKind,
};

/** The probes a service runs, in dependency order: each needs what the previous one produced. */
export function probesFor(service: ServiceSpec): ProbeKind[] {
  return PROBE_KINDS.filter((kind) => KINDS[kind].runsFor(service));
}

export function isSideProbe(kind: ProbeKind): boolean {
  return KINDS[kind].side === true;
}

/*
 * Typed dispatch: the kind of an observation or result picks its module. Written once here so
 * that callers hold a plain union and never switch on the kind themselves.
 */
type ObservationFor<K extends ProbeKind> = ObservationByKind[K] & { kind: K };
type ResultFor<K extends ProbeKind> = ProbeResultOf<K>;

export function judgeObservation<K extends ProbeKind>(observation: ObservationFor<K>, service: ServiceSpec, context: JudgeContext): Judgement {
  const kind: K = observation.kind;
  // A budget that ran out while outage itself was busy is outage's limit, not the target's failure.
  const ownLoad = timeoutOnOwnLoad(observation, service);
  if (ownLoad) return ownLoad;
  if (observation.failure) return { status: KINDS[kind].failedStatus ?? (saysNothingOfTarget(observation.failure.code) ? 'unknown' : 'down'), ...observation.failure };
  return KINDS[kind].judge(observation, service, context);
}

/** The fields of a probe result that judging decides; the rest comes from the last observation. */
export type JudgedFields = Pick<ProbeResultOf<ProbeKind>, 'status' | 'code' | 'reason' | 'durationMs' | 'attempts'> & { firstFailure?: Judgement };

type ResultByKind = { [K in ProbeKind]: ProbeResultOf<K> };

/** A probe's result: its judged fields, and the typed details and timings of its last observation. */
export function probeResult<K extends ProbeKind>(kind: K, last: ObservationFor<K> | undefined, judged: JudgedFields, context: JudgeContext): ResultByKind[K] {
  const { firstFailure, ...fields } = judged;
  const extra: { firstFailure?: Judgement } = firstFailure ? { firstFailure } : {};
  const timings = last && KINDS[kind].timings?.(last);
  const nothing: Partial<DetailsByKind[K]> = {};
  const details = { ...(last ? KINDS[kind].details(last, context) : nothing), ...extra };
  const result: ProbeResultOf<K> = { kind, ...fields, ...(timings ? { timings } : {}), details };
  // The one assertion of the typed results: TypeScript cannot see that a ProbeResultOf<K> built
  // for a generic K is the member of the union for that K. Everything that reads results is
  // checked against the union, without casts.
  return result as ResultByKind[K];
}

export function timedOutObservation(kind: ProbeKind, service: ServiceSpec, budget: string | undefined, durationMs: number): Observation {
  const failure: Failure = { code: KINDS[kind].timeoutCode, reason: `${kind} did not finish ${budget ?? 'before it was stopped'}` };
  return KINDS[kind].timedOut(service, failure, durationMs);
}

export function factsOf<K extends ProbeKind>(result: ResultFor<K>): ProbeFacts {
  const kind: K = result.kind;
  return KINDS[kind].facts(result);
}

export function verboseLines<K extends ProbeKind>(result: ResultFor<K>): string[] {
  const kind: K = result.kind;
  return KINDS[kind].verbose(result);
}

/** The kinds that have a column in the table and in markdown, in probe order: DNS, TLS, HTTP. */
export const COLUMN_KINDS: readonly ProbeKind[] = PROBE_KINDS.filter((kind) => KINDS[kind].column);

export function columnTitle(kind: ProbeKind): string {
  return KINDS[kind].column?.title ?? kind.toUpperCase();
}

export function columnText<K extends ProbeKind>(result: ResultFor<K>): string {
  const kind: K = result.kind;
  return KINDS[kind].column?.text(result) ?? result.status;
}

/** A side probe's say on the measured result (the vendor policy for status pages). */
export function adjustMeasured<K extends ProbeKind>(measured: ServiceResult, result: ResultFor<K>, service: ServiceSpec): ServiceResult {
  const kind: K = result.kind;
  return KINDS[kind].adjust?.(measured, result, service) ?? measured;
}

export function layerOf(kind: ProbeKind): NetworkLayer {
  return KINDS[kind].layer;
}
