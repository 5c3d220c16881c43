/**
 * `check()`: resolve services, probe them, build the report. The CLI and the programmatic API
 * share this; neither prints anything here.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { findConfig } from './config/load.js';
import type { ServiceSpec } from './config/service.js';
import { DEFAULTS } from './config/service.js';
import { validateConfig } from './config/validate.js';
import { OutageError } from './errors.js';
import { createRedactor } from './report/redact.js';
import { buildReport } from './report/report.js';
import type { LocalNetwork, Report, ServiceResult } from './report/types.js';
import { serviceResult } from './run/results.js';
import { runServices } from './run/schedule.js';
import { Interrupted } from './run/deadline.js';
import { CANARY_TIMEOUT, DEFAULT_CANARIES, dependsOnInternet } from './diagnose/canaries.js';
import { parseDuration } from './util/duration.js';
import { applyVerdict, diagnoseLocalNetwork } from './diagnose/local-network.js';
import { applyOverrides, selectServices, type Overrides } from './run/select.js';
import type { FailOn } from './status.js';

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
}

export interface PreparedCheck {
  services: ServiceSpec[];
  /** Probed beside the services to tell a local network problem from outages; [] for none. */
  canaries: ServiceSpec[];
  concurrency: number;
  /** Values to redact from anything printed. */
  secrets: string[];
}

export async function prepareCheck(options: CheckOptions = {}): Promise<PreparedCheck> {
  const env = options.env ?? process.env;
  let raw: unknown;
  let file: string | undefined;
  if (options.config !== undefined) {
    raw = options.config;
  } else {
    const found = await findConfig({ cwd: options.cwd, configPath: options.configPath });
    raw = found?.raw;
    file = found?.file;
  }
  const config = raw === undefined ? undefined : validateConfig(raw, { env, file });
  const rawDefaults = raw && typeof raw === 'object' ? (raw as { defaults?: unknown }).defaults : undefined;
  let selected: ReturnType<typeof selectServices>;
  try {
    selected = selectServices(config, rawDefaults, options.targets ?? [], options.tags ?? [], env);
  } catch (error) {
    // Selection errors echo what the user typed, which may hold a secret value from the config.
    if (error instanceof OutageError) error.message = createRedactor(config?.secrets ?? [])(error.message);
    throw error;
  }
  const services = applyOverrides(selected.services, options);
  return {
    services,
    canaries: chooseCanaries(config?.canaries, services, options.canaries),
    concurrency: options.concurrency ?? config?.settings.concurrency ?? DEFAULTS.concurrency,
    secrets: selected.secrets,
  };
}

export async function runCheck(prepared: PreparedCheck, options: Pick<CheckOptions, 'signal' | 'failOn' | 'onProgress'> = {}): Promise<Report> {
  const startedAt = new Date();
  const started = performance.now();
  // Timings are only as true as outage's own responsiveness: watch for stalls while probing.
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const probed = await probeWithCanaries(prepared, options).finally(() => stalls.disable());
  return buildReport(probed.services, {
    startedAt,
    durationMs: performance.now() - started,
    failOn: options.failOn ?? 'degraded',
    interrupted: options.signal?.aborted ?? false,
    maxEventLoopDelayMs: stalls.count > 0 ? stalls.max / 1e6 : undefined,
    concurrency: prepared.concurrency,
    localNetwork: probed.localNetwork,
  });
}

/**
 * Services and canaries run side by side. When the canaries fail too, the verdict stops the
 * services still waiting on their timeouts — with no network the run ends within the canaries'
 * short budget — and the failed ones are not judged. When every service answers before the
 * canaries do, the canaries have nothing to explain and are stopped.
 */
async function probeWithCanaries(prepared: PreparedCheck, options: Pick<CheckOptions, 'signal' | 'onProgress'>): Promise<{ services: ServiceResult[]; localNetwork?: LocalNetwork }> {
  const started = performance.now();
  const stopServices = new AbortController();
  const stopCanaries = new AbortController();
  const forward = () => {
    stopServices.abort(options.signal?.reason);
    stopCanaries.abort(options.signal?.reason);
  };
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  try {
    const servicesDone = runServices(prepared.services, {
      concurrency: prepared.concurrency,
      signal: stopServices.signal,
      onServiceDone: (_run, done, total) => options.onProgress?.(done, total),
    });
    if (prepared.canaries.length === 0) return { services: (await servicesDone).map(serviceResult) };
    const canariesDone = runServices(prepared.canaries, { concurrency: prepared.canaries.length, signal: stopCanaries.signal });
    const first = await Promise.race([canariesDone.then(() => 'canaries' as const), servicesDone.then(() => 'services' as const)]);
    if (first === 'services' && (await servicesDone).every((run) => serviceResult(run).status === 'up')) stopCanaries.abort(new Interrupted('not needed'));
    const canaries = (await canariesDone).map(serviceResult);
    const verdict = stopCanaries.signal.aborted ? undefined : diagnoseLocalNetwork(canaries);
    if (verdict) {
      // Services in flight may still answer (a verdict can come early: NXDOMAIN is instant), and
      // what answered is reported as measured: they get until the canaries' own budget is spent.
      const grace = Math.max(VERDICT_GRACE_MS, CANARY_BUDGET_MS - (performance.now() - started));
      await Promise.race([servicesDone, delay(grace, undefined, { ref: false })]);
      stopServices.abort(new Interrupted('local network problem'));
    }
    const services = (await servicesDone).map(serviceResult);
    const summary = canaries.map(({ name, target, status, code, reason }) => ({ name, target, status, code, reason }));
    if (stopCanaries.signal.aborted) return { services };
    if (!verdict) return { services, localNetwork: { ok: true, canaries: summary } };
    return { services: applyVerdict(services, verdict), localNetwork: { ok: false, ...verdict, canaries: summary } };
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}

const VERDICT_GRACE_MS = 250;
const CANARY_BUDGET_MS = parseDuration(CANARY_TIMEOUT) ?? 1500;

/** The config's canaries, else the built-in ones when any service depends on the internet. */
function chooseCanaries(configured: ServiceSpec[] | undefined, services: ServiceSpec[], flag: false | undefined): ServiceSpec[] {
  if (flag === false) return [];
  if (configured) return configured;
  return services.some(dependsOnInternet) ? validateConfig({ services: DEFAULT_CANARIES }).services : [];
}

export async function check(options: CheckOptions = {}): Promise<Report> {
  return runCheck(await prepareCheck(options), options);
}
