/**
 * `check()`: resolve services, probe them, build the report. The CLI and the programmatic API
 * share this; neither prints anything here.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { findConfig } from './config/load.js';
import { assembleServices, needsNoSchema, NO_CONFIG, type LoadServicesOptions } from './config/assemble.js';
import type { ServiceSpec } from './config/service.js';
import type { Overrides } from './config/specs.js';
import { buildReport } from './report/report.js';
import { distinctNames } from './report/safe-report.js';
import type { Report, ServiceResult } from './probes/result.js';
import type { VantageResult } from './core/result.js';
import type { VantageSpec } from './config/vantages.js';
import { vantageVerdict } from './diagnose/vantages.js';
import { askVantages } from './run/vantages.js';
import type { KindRegistry } from './probes/registry.js';
import { boundHeapGrowth, LARGE_RUN } from './run/heap.js';
import { runWithCanaries } from './run/with-canaries.js';
import { prewarmTlsFor } from './run/schedule.js';
import { concurrencyWithinLimit } from './net/open-file-limit.js';
import type { FailOn } from './core/status.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT } from './core/duration.js';
import { ConfigError, UsageError } from './core/errors.js';
import { environmentStoreProblem } from './net/trust-store.js';
import { createRedactor, redactDeep, useForErrors, type Redact } from './core/redact.js';

export interface CheckOptions extends Overrides {
  /** Where config discovery starts (default: the current directory). */
  cwd?: string;
  /** Read this config file instead of searching. */
  configPath?: string;
  /** A config object to use instead of any file (programmatic use). */
  config?: unknown;
  /** Configured service names or ad-hoc targets (https://…, http://…, host:port). */
  targets?: string[];
  tags?: string[];
  concurrency?: number;
  failOn?: FailOn;
  /** Abort with an `Interrupted` reason to stop early and get a partial report. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** false: no local-network diagnosis, whatever the config says. */
  canaries?: false;
  onProgress?: (done: number, total: number) => void;
  /** The probe kinds to run with (default: the registry). Tests pass stand-ins here. */
  kinds?: KindRegistry;
  /** `--from`: other `outage serve` instances to ask too; replaces the config's `vantages`. */
  from?: string[];
}

export interface PreparedCheck {
  services: ServiceSpec[];
  /** Probed beside the services to tell a local network problem from outages; [] for none. */
  canaries: ServiceSpec[];
  concurrency: number;
  /** Values to redact from anything printed. */
  secrets: string[];
  /** Other places (`outage serve`) asked about the same services; [] for none. */
  vantages?: VantageSpec[];
  /** The config file read, when one was. */
  configFile?: string;
  /** For the command to say once on stderr before the run (credentials to a vantage in clear text); never a secret. */
  warnings?: string[];
}

export async function prepareCheck(options: CheckOptions = {}): Promise<PreparedCheck> {
  checkTimeout(options.timeoutMs);
  let raw: unknown;
  let file: string | undefined;
  if (options.config !== undefined) {
    raw = options.config;
  } else {
    // URLs alone need no config: a directory outage may not search is then passed over, as curl would not care.
    const found = await findConfig({ cwd: options.cwd, configPath: options.configPath, unsearchable: needsNoSchema(undefined, options.targets) ? 'skip' : 'error' });
    raw = found?.raw;
    file = found?.file;
  }
  const load: LoadServicesOptions = {
    env: options.env,
    file,
    targets: options.targets,
    tags: options.tags,
    overrides: { timeoutMs: options.timeoutMs, retries: options.retries, resolvers: options.resolvers },
    canaries: options.canaries,
    from: options.from,
  };
  // URLs checked with no config file need no schema: loading it (zod) cost more than the check.
  const loaded = needsNoSchema(raw, options.targets) ? assembleServices(NO_CONFIG, load) : (await import('./config/pipeline.js')).loadServices(raw, load);
  untrustedEverything(loaded.services);
  return {
    services: loaded.services,
    canaries: loaded.canaries,
    concurrency: options.concurrency ?? loaded.config.settings.concurrency,
    secrets: loaded.secrets,
    vantages: loaded.vantages,
    ...(loaded.warnings.length > 0 ? { warnings: loaded.warnings } : {}),
    ...(file !== undefined ? { configFile: file } : {}),
  };
}

/**
 * SSL_CERT_FILE/SSL_CERT_DIR naming no certificate would make every https service tls.untrusted:
 * a configuration error naming the variable (exit 78), when some service verifies a certificate
 * against the store. A plain-http readiness check, or one with its own `tls.ca` or `tls: false`,
 * does not use it and runs as before (an http service redirected to https is judged as it goes).
 */
function usesTrustStore(service: ServiceSpec): boolean {
  if (service.tls?.verify && service.tls.ca === undefined) return true;
  if (service.status && usesTrustStore(service.status.check)) return true;
  // Asset hosts are found in the page: most are https.
  return service.hosts !== undefined && (service.hosts.assets !== undefined || service.hosts.configured.some(usesTrustStore));
}

function untrustedEverything(services: readonly ServiceSpec[]): void {
  if (!services.some(usesTrustStore)) return;
  const problem = environmentStoreProblem();
  if (problem) throw new ConfigError([{ path: '', message: problem }], undefined, 'config.trust_store');
}

/** The API's `timeoutMs` is typed milliseconds; it gets the same limits as `--timeout`. */
function checkTimeout(ms: number | undefined): void {
  if (ms === undefined || (Number.isFinite(ms) && ms > 0 && ms <= MAX_DURATION_MS)) return;
  throw new UsageError(`timeoutMs: ${ms} is not a number of milliseconds from 1 to ${MAX_DURATION_MS} (${MAX_DURATION_TEXT})`);
}

export interface RunCheckOptions extends Pick<CheckOptions, 'signal' | 'failOn' | 'onProgress' | 'kinds'> {
  /** false: a measurement clouded by outage's own load is judged as it stands, not taken again (`outage serve`, within a scrape timeout). */
  remeasure?: boolean;
  /** Each service's attempts end within this many ms of its start (`outage serve`: the scrape's timeout). */
  deadlineMs?: number;
  /** No service's attempt runs past this moment, performance.now() clock (`outage wait`: its --timeout; see RunOptions.endsAt). */
  endsAt?: number;
  /** What a queued service needs left to be started (`outage wait`: its minimum; see RunOptions.queuedFloorMs). */
  queuedFloorMs?: (service: ServiceSpec) => number | undefined;
}

export async function runCheck(prepared: PreparedCheck, options: RunCheckOptions = {}): Promise<Report> {
  const startedAt = new Date();
  const started = performance.now();
  if (prepared.services.length >= LARGE_RUN) boundHeapGrowth();
  // One-off TLS set-up (the root store) before the clock that judges outage's responsiveness starts.
  await prewarmTlsFor(prepared.services);
  // Timings are only as true as outage's own responsiveness: watch for stalls while probing.
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const vantages = prepared.vantages ?? [];
  // Other places are asked while this one probes: the run takes the longer of the two, not both.
  let remeasured: { services: number; concurrency: number } | undefined;
  const remote = vantages.length > 0 ? askVantages(prepared.services, vantages, { concurrency: prepared.concurrency, signal: options.signal }) : undefined;
  const probed = await runWithCanaries(prepared.services, prepared.canaries, {
    concurrency: prepared.concurrency,
    signal: options.signal,
    onProgress: options.onProgress,
    kinds: options.kinds,
    remeasure: options.remeasure,
    deadlineMs: options.deadlineMs,
    endsAt: options.endsAt,
    queuedFloorMs: options.queuedFloorMs,
    onRemeasured: (services, concurrency) => (remeasured = { services, concurrency }),
  }).finally(async () => {
    // A stall that ends the run (a body regex judged last) is only recorded when the monitor's
    // timer next fires, in the timers phase: give it that turn before reading the histogram.
    await new Promise((resolve) => setTimeout(resolve, 0));
    stalls.disable();
  });
  const services = remote ? withVantages(probed.services, await remote) : probed.services;
  const report = buildReport(services, {
    startedAt,
    durationMs: performance.now() - started,
    failOn: options.failOn ?? 'degraded',
    interrupted: options.signal?.aborted ?? false,
    maxEventLoopDelayMs: stalls.count > 0 ? stalls.max / 1e6 : undefined,
    remeasured,
    // What ran, not the cap: one service at "concurrency 64" ran alone, and no more than the
    // open-file limit allows.
    concurrency: Math.min(concurrencyWithinLimit(prepared.concurrency), prepared.services.length),
    localNetwork: probed.localNetwork,
  });
  // Redacted before any renderer escapes a secret out of the redactor's sight (see core/redact.ts);
  // two names that are one once redacted (one URL, two passwords) are told apart, as --json does.
  return prepared.secrets.length === 0 ? report : distinctNames(redactDeep(report, redactorFor(prepared.secrets)));
}

const redactors = new WeakMap<string[], Redact>();

/** One redactor per prepared check: `wait` runs a check every round. */
export function redactorFor(secrets: string[]): Redact {
  let redact = redactors.get(secrets);
  if (!redact) redactors.set(secrets, (redact = createRedactor(secrets)));
  useForErrors(redact);
  return redact;
}

export async function check(options: CheckOptions = {}): Promise<Report> {
  return runCheck(await prepareCheck(options), options);
}

/** Each service with how every vantage saw it, `here` first, and the verdict they add up to. */
function withVantages(services: ServiceResult[], remote: VantageResult[][]): ServiceResult[] {
  return services.map((service, i) => {
    const here: VantageResult = { from: 'here', status: service.status, code: service.code, reason: service.reason, durationMs: service.durationMs };
    const vantages = [here, ...(remote[i] ?? [])];
    const verdict = vantageVerdict(vantages);
    return { ...service, vantages, ...(verdict ? { vantageVerdict: verdict } : {}) };
  });
}
