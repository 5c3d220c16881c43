/** `outage check`: parse flags, run the check, render to stdout, and return the exit code. */
import { prepareCheck, runCheck } from '../check.js';
import { isResolverAddress } from '../config/schema.js';
import { ExitCode, UsageError } from '../errors.js';
import { createRedactor } from '../report/redact.js';
import { planOutput, writeOutputs, type OutputFlags } from './output.js';
import { Interrupted } from '../run/deadline.js';
import type { FailOn } from '../status.js';
import { DURATION_HINT, parseDuration } from '../util/duration.js';

export interface CheckFlags extends OutputFlags {
  config?: string;
  failOn: FailOn;
  timeout?: string;
  retries?: string;
  concurrency?: string;
  resolver: string[];
  tag: string[];
}

export async function runCheckCommand(targets: string[], flags: CheckFlags): Promise<number> {
  const overrides = parseOverrides(flags);
  const output = planOutput(flags);
  const prepared = await prepareCheck({ configPath: flags.config, targets, tags: flags.tag, ...overrides });
  const redact = createRedactor(prepared.secrets);

  const controller = new AbortController();
  let signalName: string | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (signalName) process.exit(name === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
    signalName = name;
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const spinner = process.stderr.isTTY && !flags.quiet ? await startSpinner(prepared.services.length) : undefined;
  const report = await runCheck(prepared, {
    signal: controller.signal,
    failOn: flags.failOn,
    onProgress: (done, total) => spinner?.update(done, total),
  }).finally(() => {
    spinner?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  await writeOutputs(report, output, flags, redact);

  if (signalName) return signalName === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
  return report.exitCode;
}

function parseOverrides(flags: CheckFlags) {
  const timeoutMs = flags.timeout === undefined ? undefined : parseDuration(flags.timeout);
  if (timeoutMs !== undefined && timeoutMs <= 0) throw new UsageError(`--timeout must be more than 0`);
  if (flags.timeout !== undefined && timeoutMs === undefined) {
    throw new UsageError(`--timeout: ${JSON.stringify(flags.timeout)} is not ${DURATION_HINT}`);
  }
  const retries = integerFlag('--retries', flags.retries, 0, 10);
  const concurrency = integerFlag('--concurrency', flags.concurrency, 1, 100_000);
  const badResolver = flags.resolver.find((r) => !isResolverAddress(r));
  if (badResolver) throw new UsageError(`--resolver: ${JSON.stringify(badResolver)} is not an IP address with an optional port (1.1.1.1, 127.0.0.1:5353, [::1]:53)`);
  return { timeoutMs, retries, concurrency, resolvers: flags.resolver, failOn: flags.failOn };
}

function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${name}: ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

async function startSpinner(total: number) {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, text: `0/${total} checked` }).start();
  return {
    update: (done: number, all: number) => (spinner.text = `${done}/${all} checked`),
    stop: () => spinner.stop(),
  };
}
