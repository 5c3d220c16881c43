/**
 * The guarantee behind every budget: whatever a target does, and even if some await inside a
 * probe failed to honour its signal, an attempt ends within its budget plus a small grace. When
 * the watchdog has to step in, the probe is recorded as timed out in its own terms (each kind
 * says how, see ProbeKindModule.timedOut).
 */
import { WATCHDOG_GRACE_MS } from '../core/budget.js';

export function withWatchdog<T>(work: Promise<T>, signal: AbortSignal, onOverrun: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const overrun = new Promise<T>((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve(onOverrun()), WATCHDOG_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, overrun]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}
