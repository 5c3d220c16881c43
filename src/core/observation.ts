import type { Failure } from './failure.js';

/**
 * What every probe's observation has. A probe records facts and never throws for a failing
 * target: when it could not complete, `failure` says why with a stable code, and the later probes
 * of the attempt are skipped. Judging facts into statuses happens elsewhere (src/judge/).
 */
export interface ObservationBase {
  durationMs: number;
  failure?: Failure;
}
