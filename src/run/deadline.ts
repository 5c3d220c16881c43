/**
 * One deadline per service attempt, set above the probes and passed down as an AbortSignal. The
 * abort *reason* tells probes why they were stopped, so a probe can say `http.timeout` when the
 * budget ran out and `interrupted` when the user pressed Ctrl-C.
 */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs}ms`);
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

export interface Deadline {
  signal: AbortSignal;
  /** Epoch ms at which the attempt's budget ends. */
  at: number;
  remaining(): number;
  dispose(): void;
}

/** A deadline `timeoutMs` from now that also fires when `parent` (the run's interrupt) does. */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const at = Date.now() + timeoutMs;
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
  // Any abort from above is an interruption, whatever reason the caller gave — except a parent
  // deadline (a subcheck inside an attempt), which is still a deadline.
  const onParentAbort = () =>
    controller.abort(parent?.reason instanceof Interrupted || parent?.reason instanceof DeadlineExceeded ? parent.reason : new Interrupted('abort'));
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    at,
    remaining: () => Math.max(0, at - Date.now()),
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
