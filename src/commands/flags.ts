/** Parsing of flags that several commands share; each bad value is a usage error (exit 64). */
import { isResolverAddress } from '../config/targets.js';
import { UsageError } from '../core/errors.js';
import { readPositiveDuration } from '../core/duration.js';

/** `--timeout 5s` → 5000; `--timeout 5` is refused with the fix: `--timeout 5: add a unit, 5s or 5000ms`. */
export function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = readPositiveDuration(value);
  if (typeof ms === 'string') throw new UsageError(`${name} ${ms}`);
  return ms;
}

export function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${name}: ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return n;
}

export function resolverFlags(values: string[]): string[] {
  const bad = values.find((r) => !isResolverAddress(r));
  // `!== undefined`: an empty value (an unset `--resolver "$DNS"`) is falsy, and passed as no resolver at all.
  if (bad !== undefined) throw new UsageError(`--resolver: ${JSON.stringify(bad)} is not an IP address with an optional port (1.1.1.1, 127.0.0.1:5353, [::1]:53)`);
  return values;
}

/** Flags every probing command shares: where services come from and how they are reached. */
export interface SelectionFlags {
  config?: string;
  concurrency?: string;
  resolver: string[];
  tag: string[];
  color: boolean;
  canaries?: boolean;
}

/** The prepareCheck options those flags stand for; each command adds its own budget and retries. */
export function selection(targets: string[], flags: SelectionFlags) {
  return {
    configPath: flags.config,
    targets,
    tags: flags.tag,
    concurrency: integerFlag('--concurrency', flags.concurrency, 1, 100_000),
    resolvers: resolverFlags(flags.resolver),
    ...(flags.canaries === false ? { canaries: false as const } : {}),
  };
}

/**
 * A config with no services (only `defaults`, or every service commented out) and no target: a
 * check of nothing was `UP · 0 services`, exit 0, and a deploy gate passed having checked nothing.
 */
export function somethingToCheck(count: number, command: string): void {
  if (count > 0) return;
  throw new UsageError(`nothing to check: the config has no services and no target was given (add services to it, or name one: outage ${command} https://…)`, 'usage.nothing_to_check');
}
