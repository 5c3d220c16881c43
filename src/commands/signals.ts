/**
 * SIGINT/SIGTERM/SIGHUP for long-running commands: the first stops the work gracefully (in-flight
 * probes abort, partial results are printed and report files written); a second exits at once.
 * SIGHUP is the terminal going away (an SSH session dropped, `outage check --report … > log &`
 * in a shell that closed): Node's default ended the run with nothing written, where SIGTERM kept
 * what finished. Once that is written the process still ends *by* SIGHUP, as before: on exit Node
 * 20 resets a terminal's mode and aborts with a native stack trace when the terminal is gone
 * (nodejs/node#51519, fixed in 22), which a death by the signal never reaches. A shell reports it
 * as 129, the code the reports state.
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
  const code = (name: NodeJS.Signals | undefined) => (name === 'SIGTERM' ? ExitCode.terminated : name === 'SIGHUP' ? ExitCode.hungUp : ExitCode.interrupted);
  const onSignal = (name: NodeJS.Signals) => {
    // The real exit: a JavaScript config still loading has process.exit refused (core/errors.ts).
    if (name === 'SIGHUP') process.once('exit', () => dieBy('SIGHUP'));
    if (received) {
      if (name === 'SIGHUP') dieBy(name);
      exitProcess(code(name));
    }
    received = name;
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    exitCode: () => code(received),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    },
  };
}

/** End the process by `name` itself, with the signal's default action (no handler left to catch it). */
function dieBy(name: NodeJS.Signals): void {
  process.removeAllListeners(name);
  process.kill(process.pid, name);
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
