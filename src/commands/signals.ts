/**
 * SIGINT/SIGTERM for long-running commands: the first stops the work gracefully (in-flight probes
 * abort, partial results are printed); a second exits at once.
 */
import { ExitCode, exitProcess } from '../core/errors.js';
import { Interrupted } from '../core/budget.js';

export interface SignalTrap {
  signal: AbortSignal;
  /** The signal received, if any. */
  received(): NodeJS.Signals | undefined;
  exitCode(): number;
  dispose(): void;
}

export function trapSignals(): SignalTrap {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const code = (name: NodeJS.Signals | undefined) => (name === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
  const onSignal = (name: NodeJS.Signals) => {
    // The real exit: a JavaScript config still loading has process.exit refused (core/errors.ts).
    if (received) exitProcess(code(name));
    received = name;
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => code(received),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Wait `ms`, or less if the signal aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
