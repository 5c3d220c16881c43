import type { Failure } from './failure.js';

/**
 * What every probe's observation has. A probe records facts and never throws for a failing
 * target: when it could not complete, `failure` says why with a stable code, and the later probes
 * of the attempt are skipped. Judging facts into statuses happens elsewhere (src/judge/).
 */
export interface ObservationBase {
  durationMs: number;
  failure?: Failure;
  /**
   * How long outage's own event loop was busy (running code, not waiting for the network) from
   * the attempt's start to this observation's end: every timing this observation took, every
   * timer that ran out, may have been held up by at most this much of outage's own work. Set by
   * the scheduler, which measures it; absent when nothing measured it.
   */
  ownBusyMs?: number;
}
