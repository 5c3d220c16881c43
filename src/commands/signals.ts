/**
 * SIGINT/SIGTERM/SIGHUP for long-running commands: the first stops the work gracefully (in-flight
 * probes abort, partial results are printed and report files written); a second exits at once.
 * SIGHUP is the terminal going away (an SSH session dropped, `outage check --report … > log &`
 * in a shell that closed): Node's default ended the run with nothing written, where SIGTERM kept
 * what finished. Once that is written the process still ends *by* SIGHUP, as before: on exit Node
 * 20 resets a terminal's mode and aborts with a native stack trace when the terminal is gone
 * (nodejs/node#51519, fixed in 22), which a death by the signal never reaches. A shell reports it
 * as 129, the code the reports state. Under `--format nagios` the reports state 3, and with no
 * terminal attached (Nagios reads a pipe) the process exits 3, as its plugin line says.
 */
import { ExitCode, exitProcess } from '../core/errors.js';
import { Interrupted } from '../core/budget.js';
import { removeUnfinishedFiles } from '../core/write-file.js';

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
  // Asked now: once the terminal has hung up, it no longer says it is one.
  const terminal = Boolean(process.stdout.isTTY || process.stderr.isTTY);
  const code = (name: NodeJS.Signals | undefined) => (name === 'SIGTERM' ? ExitCode.terminated : name === 'SIGHUP' ? ExitCode.hungUp : ExitCode.interrupted);
  const onSignal = (name: NodeJS.Signals) => {
    // The real exit: a JavaScript config still loading has process.exit refused (core/errors.ts).
    // Unless the run ends with another code to state (3, a Nagios plugin's UNKNOWN) and no
    // terminal is there to trip Node's abort: then that code is the exit status.
    if (name === 'SIGHUP') process.once('exit', (exitCode) => (exitCode === ExitCode.hungUp || terminal ? dieBy('SIGHUP') : undefined));
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
  // No `exit` event follows a death by signal: what its listeners would remove is removed now.
  removeUnfinishedFiles();
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
