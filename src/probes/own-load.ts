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
 * when it is quiet. A verdict that still rests on it is never against the target: a time is
 * judged on what is left, saying how much may be outage's; a timeout is `unknown`, outage's limit.
 */
import { formatDuration } from '../core/duration.js';
import { isTimeout } from '../core/failure.js';
import type { ObservationBase } from '../core/observation.js';
import type { Judgement } from '../core/result.js';

/** What an attempt costs outage's loop by itself (a handshake, code compiled on first use). */
const ORDINARY_BUSY_MS = 100;
/**
 * The share of a budget outage's stall must take before a timeout is doubted. An answer that
 * arrived during a stall is read before the deadline takes effect (core/budget.ts
 * deadlineTimer), so what a stall can still take from a target is the time outage was late to
 * send its next step; a target given three quarters of its budget that did not answer is judged.
 * Without it, a timeout no longer than the latency threshold (`--timeout 2s` with the default
 * 2 s) was doubted at any stall, and every dead service was measured again.
 */
const DOUBTED_SHARE = 0.25;

/** The least the target can have taken of `measuredMs`: what is left after outage's own busy time. */
export function targetShareMs(measuredMs: number, observation: ObservationBase): number {
  return Math.max(0, measuredMs - (observation.ownBusyMs ?? 0));
}

/** ", up to 1.9s of it outage's own load": how much of `measuredMs` may be outage's delay. */
export function ownLoadClause(measuredMs: number, observation: ObservationBase): string {
  return `, up to ${formatDuration(Math.min(measuredMs, observation.ownBusyMs ?? 0))} of it outage's own load`;
}

/**
 * A timeout is a time too: a budget that ran out while outage itself was busy says nothing sure
 * of the target when, without outage's busy time, the target may have had no more than its
 * latency threshold — it may have been healthy. Then it is `unknown` (`local.resources`,
 * outage's own limits), never `down`. A timer that ran out took the whole budget, so a strict
 * least-time rule would doubt every real timeout over the attempt's own few milliseconds of work
 * (and measure every dead service twice): outage's busy time must be more than an attempt's
 * ordinary cost and a quarter of the budget (DOUBTED_SHARE). A target that had more than its threshold of outage's attention and still did
 * not answer is at least slow whatever outage did, and its budget is spent: the timeout stands.
 * Undefined for any other failure, and for a timeout that stands.
 */
export function timeoutOnOwnLoad(observation: ObservationBase, service: { timeoutMs: number; latencyDegradedMs: number }): Judgement | undefined {
  const failure = observation.failure;
  const busy = observation.ownBusyMs ?? 0;
  if (!failure || !isTimeout(failure.code) || busy <= Math.max(ORDINARY_BUSY_MS, service.timeoutMs * DOUBTED_SHARE)) return undefined;
  if (service.timeoutMs - busy > service.latencyDegradedMs) return undefined;
  return {
    status: 'unknown',
    code: 'local.resources',
    reason: `${failure.reason} while outage itself was busy for ${formatDuration(busy)} of that time: its own load, not a measurement of the target`,
    ownLoad: true,
  };
}
