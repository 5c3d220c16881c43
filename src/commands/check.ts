/** `outage check`: parse flags, run the check, render to stdout and files, return the exit code. */
import { prepareCheck, runCheck, redactorFor } from '../check.js';
import type { FailOn } from '../core/status.js';
import { durationFlag, integerFlag, selection, type SelectionFlags, somethingToCheck } from './flags.js';
import { noteOpenFileLimit } from './open-files.js';
import { sayWarnings } from './warnings.js';
import { planOutput, spareConfig, writeOutputs, type OutputFlags } from './output.js';
import { trapSignals } from './signals.js';
import { startSpinner } from './spinner.js';

export interface CheckFlags extends OutputFlags, SelectionFlags {
  failOn: FailOn;
  timeout?: string;
  retries?: string;
  from?: string[];
}

export async function runCheckCommand(targets: string[], flags: CheckFlags): Promise<number> {
  const output = planOutput(flags);
  const prepared = await prepareCheck({
    ...selection(targets, flags),
    timeoutMs: durationFlag('--timeout', flags.timeout),
    retries: integerFlag('--retries', flags.retries, 0, 10),
    from: flags.from,
  });
  spareConfig(output, prepared.configFile);
  somethingToCheck(prepared.services.length, 'check');
  noteOpenFileLimit(prepared.concurrency, prepared.services.length);
  const redact = redactorFor(prepared.secrets);
  sayWarnings(prepared.warnings, redact);
  const trap = trapSignals();
  try {
    const spinner = flags.quiet ? undefined : startSpinner(`0/${prepared.services.length} checked`, { color: flags.color });
    const report = await runCheck(prepared, {
      signal: trap.signal,
      failOn: flags.failOn,
      onProgress: (done, total) => spinner?.text(`${done}/${total} checked`),
    }).finally(() => spinner?.stop());
    const exitCode = trap.received() && output.format !== 'nagios' ? trap.exitCode() : report.exitCode;
    // Every rendering states the code this process exits with: a script reading the JSON of an
    // interrupted run must not see 3 while its shell saw 130. A Nagios plugin exits 0-3 (cli.ts).
    // Set before writing: a reader that stops early (`| head`) ends the process on EPIPE, which
    // must exit with the check's code, not 0 (cli.ts).
    process.exitCode = exitCode;
    // Still trapped while writing: a signal now cuts nothing short (every service is checked; the
    // results take milliseconds to write), where Node's default ended the process with stdout
    // empty, the later reports unwritten and half of one left in a temporary file. It only stops
    // waiting for another process (a named pipe's reader); a second one exits at once (signals.ts).
    const waitNoLonger = new AbortController();
    if (!trap.signal.aborted) trap.signal.addEventListener('abort', () => waitNoLonger.abort(), { once: true });
    await writeOutputs({ ...report, exitCode }, output, flags, redact, waitNoLonger.signal);
    return exitCode;
  } finally {
    trap.dispose();
  }
}
