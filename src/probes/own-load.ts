/**
 * Honest timings under outage's own load (README "Performance"). Every timing outage takes, and
 * every timer that ends a budget, runs as a callback on its one event loop. While the loop is
 * busy — other connections' handshakes, a report being built — an answer that has arrived waits
 * unread, and the wait is counted as the target's time. The scheduler measures, per observation,
 * how long the loop was busy (running code rather than waiting for I/O) from the attempt's start
 * to the observation's end (`ownBusyMs`). Every such wait lies inside that busy time, so
 * `measured − ownBusyMs` is the least the target itself can have taken: a verdict about time is
 * only given against the target when even that least is over the limit. When it is not, the
 * verdict rests on outage's own load (`ownLoad`), and the scheduler measures the service again
 * when it is quiet; a verdict that still rests on it is given in the target's favour, saying so.
 */
import { formatDuration } from '../core/duration.js';
import { isTimeout } from '../core/failure.js';
import type { ObservationBase } from '../core/observation.js';
import type { Judgement } from '../core/result.js';

/**
 * A timeout is the target's when outage was busy for no more than this share of the budget (and
 * no more than ORDINARY_BUSY_MS): the target then had at least nine tenths of its budget of
 * outage's attention. The least-time rule alone cannot be used for a timeout — a timer that ran
 * out took the whole budget, so any busy time at all, even the attempt's own handshake, would
 * make every real timeout doubtful and measured twice.
 */
const BUDGET_SHARE = 0.1;
/** What an attempt costs outage's loop by itself (a handshake, code compiled on first use). */
const ORDINARY_BUSY_MS = 100;

/** The least the target can have taken of `measuredMs`: what is left after outage's own busy time. */
export function targetShareMs(measuredMs: number, observation: ObservationBase): number {
  return Math.max(0, measuredMs - (observation.ownBusyMs ?? 0));
}

/** ", up to 1.9s of it outage's own load": how much of `measuredMs` may be outage's delay. */
export function ownLoadClause(measuredMs: number, observation: ObservationBase): string {
  return `, up to ${formatDuration(Math.min(measuredMs, observation.ownBusyMs ?? 0))} of it outage's own load`;
}

/**
 * A timeout that ran out while outage itself was busy for much of the budget says nothing sure
 * of the target: `unknown` (`local.resources`, outage's own limits), never `down`. Undefined for
 * any other failure, and for a timeout the target had its budget for.
 */
export function timeoutOnOwnLoad(observation: ObservationBase, budgetMs: number): Judgement | undefined {
  const failure = observation.failure;
  const busy = observation.ownBusyMs ?? 0;
  if (!failure || !isTimeout(failure.code) || busy <= Math.max(ORDINARY_BUSY_MS, budgetMs * BUDGET_SHARE)) return undefined;
  return {
    status: 'unknown',
    code: 'local.resources',
    reason: `${failure.reason} while outage itself was busy for ${formatDuration(busy)} of that time: its own load, not a measurement of the target`,
    ownLoad: true,
  };
}
