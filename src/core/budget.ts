/**
 * One budget per service attempt, set above the probes and passed down as an AbortSignal. Every
 * timer of an attempt derives from it — the resolver's per-try timeout, the HTTP client's header and body
 * timeouts (what remains), the watchdog's grace — and every sentence that states a budget is
 * worded here. The abort *reason* tells probes why they were stopped, so a probe can say
 * `http.timeout` when the budget ran out and `interrupted` when the user pressed Ctrl-C.
 */
import { formatExactDuration } from './duration.js';

export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly timeoutMs: number) {
    super(`no answer ${formatBudget(timeoutMs)}`);
  }
}

export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(readonly signalName: string = 'SIGINT') {
    super(`interrupted by ${signalName}`);
  }
}

export function isInterrupted(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof Interrupted;
}

/** "within 10s", "within 1500ms": how every message states a budget, in the unit it was given. */
export function formatBudget(ms: number): string {
  return `within ${formatExactDuration(ms)}`;
}

/** "within 1500ms" when `signal` was stopped by its budget; undefined when stopped otherwise. */
export function budgetSpent(signal: AbortSignal): string | undefined {
  return signal.reason instanceof DeadlineExceeded ? formatBudget(signal.reason.timeoutMs) : undefined;
}

/** How long past the budget a probe may take to wind down on its own before the watchdog steps in. */
export const WATCHDOG_GRACE_MS = 100;

/**
 * The resolver's share of a budget per try: a quarter (so a lost UDP packet is retried while
 * time remains), at least 200 ms and at most 2 s, like stub resolvers' defaults.
 */
export function dnsTryTimeout(budgetMs: number): number {
  return Math.min(2000, Math.max(200, Math.floor(budgetMs / 4)));
}

export interface Budget {
  signal: AbortSignal;
  /** Epoch ms at which the budget ends. */
  at: number;
  totalMs: number;
  remaining(): number;
  dispose(): void;
}

/**
 * Calls `onDeadline` once `ms` have passed and what had arrived by then has been read. Each turn
 * of the event loop runs due timers before it reads sockets: when outage's own loop was busy at
 * the deadline, an answer that came in time waits unread, and ending the wait straight from the
 * timer would cut it off and report outage's stall as the target's silence. So the deadline takes
 * effect after one turn has read what already arrived (an immediate runs after the poll phase);
 * on an idle loop that is a fraction of a millisecond. Returns a function that cancels it.
 */
export function deadlineTimer(ms: number, onDeadline: () => void): () => void {
  let afterIo: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => (afterIo = setImmediate(onDeadline)), ms);
  return () => {
    clearTimeout(timer);
    clearImmediate(afterIo);
  };
}

/** A budget of `timeoutMs` from now that also ends when `parent` (the run's interrupt) does. */
export function startBudget(timeoutMs: number, parent?: AbortSignal): Budget {
  const controller = new AbortController();
  const at = Date.now() + timeoutMs;
  const cancelTimer = deadlineTimer(timeoutMs, () => controller.abort(new DeadlineExceeded(timeoutMs)));
  // Any abort from above is an interruption, whatever reason the caller gave — except a parent
  // deadline (a subcheck inside an attempt), which is still a deadline.
  const onParentAbort = () =>
    controller.abort(parent?.reason instanceof Interrupted || parent?.reason instanceof DeadlineExceeded ? parent.reason : new Interrupted('abort'));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    at,
    totalMs: timeoutMs,
    remaining: () => Math.max(0, at - Date.now()),
    dispose() {
      cancelTimer();
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
