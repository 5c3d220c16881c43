/**
 * `GET /probe`: one check through the same pipeline as `outage check` (config → specs → run →
 * judge → report), answered as metrics or, with `format=json`, as the report `check --json`
 * prints. A failing target is data (HTTP 200, probe_success 0); only a request outage cannot
 * honour — no target, an unknown module, a target the policy refuses — is an HTTP error.
 */
import { loadServices } from '../config/pipeline.js';
import { MODULE_NAME } from '../config/token-patterns.js';
import type { ServiceSpec } from '../config/service.js';
import { MAX_DURATION_MS } from '../core/duration.js';
import { OutageError } from '../core/errors.js';
import { isTimeout } from '../core/failure.js';
import { createRedactor } from '../core/redact.js';
import { runCheck } from '../check.js';
import { renderJson } from '../report/json.js';
import { EXPOSITION_CONTENT_TYPE } from '../report/exposition.js';
import type { ExporterMetrics, Refusal } from './exporter-metrics.js';
import { renderProbe } from './probe-metrics.js';
import type { Slots } from './slots.js';
import { configFor, configuredNames, notConfigured } from './query-config.js';
import type { TargetAsked, TargetPolicy } from './target-policy.js';

/** blackbox_exporter's default `--timeout-offset`: room for the answer to reach Prometheus. */
export const SCRAPE_TIMEOUT_OFFSET_MS = 500;
/** The shortest budget a probe is given, however short the scrape timeout. */
const MIN_BUDGET_MS = 100;
const MAX_TARGET_LENGTH = 2048;
const PREPARED_CACHE_SIZE = 256;

export interface ProbeSetup {
  /** The raw config document and its file, validated whole at start-up (useConfig swaps them on SIGHUP). */
  raw: unknown;
  file: string | undefined;
  env: NodeJS.ProcessEnv;
  policy: TargetPolicy;
  slots: Slots;
  metrics: ExporterMetrics;
  /** Aborts (with Interrupted) when the server must stop: probes in flight end at once. */
  stop: AbortSignal;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  refusal?: Refusal;
  headers?: Record<string, string>;
}

interface Prepared {
  spec: ServiceSpec;
  secrets: string[];
}

export const text = (status: number, body: string, refusal?: Refusal, headers?: Record<string, string>): Answer => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: `${body}\n`,
  ...(refusal ? { refusal } : {}),
  ...(headers ? { headers } : {}),
});

export interface ProbeHandler {
  handle(params: URLSearchParams, scrapeTimeout: string | undefined, gone: AbortSignal): Promise<Answer>;
  /**
   * Serve the next scrapes from another config (SIGHUP), validated whole by the caller. Probes in
   * flight finish with the one they began with; what was prepared from the old one is dropped.
   */
  useConfig(raw: unknown, file: string | undefined): void;
}

export function createProbeHandler(setup: ProbeSetup): ProbeHandler {
  const cache = new Map<string, Prepared>();
  let config = { raw: setup.raw, file: setup.file, names: configuredNames(setup.raw, { env: setup.env, file: setup.file }) };

  /** The service a query names, resolved once per distinct query (specs are never mutated). */
  const prepare = (query: { target?: string; service?: string; module?: string }): Prepared | Answer => {
    const key = JSON.stringify([query.service ?? null, query.target ?? null, query.module ?? null]);
    const hit = cache.get(key);
    if (hit) {
      // Most recently used last: a job's targets cycle, and the least recent is the one dropped.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const { raw, file, names } = config;
    if (query.service !== undefined) {
      const why = notConfigured(query.service, names);
      if (why) return text(400, why, 'bad_request');
    }
    const name = query.service ?? query.target ?? '';
    const load = (document: unknown) => loadServices(document, { env: setup.env, file, targets: [name], module: query.module, canaries: false });
    let loaded: ReturnType<typeof loadServices>;
    try {
      loaded = load(configFor(raw, name));
    } catch (error) {
      if (!(error instanceof OutageError)) throw error;
      // A query that cannot be answered is said as the whole config says it ("did you mean" a service).
      loaded = load(raw);
    }
    const spec = loaded.services[0];
    if (!spec) return text(400, 'the query names no service', 'bad_request');
    const configured = query.service !== undefined;
    let guarded = spec;
    if (!configured) {
      const asked = targetAsked(spec);
      const refused = asked && setup.policy.refuse(asked);
      if (refused) return text(403, `target refused: ${refused}`, 'forbidden_target');
      if (asked) guarded = { ...spec, addressGuard: setup.policy.guardFor(asked) };
    }
    const prepared = { spec: guarded, secrets: loaded.secrets };
    if (cache.size >= PREPARED_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, prepared);
    return prepared;
  };

  const useConfig = (raw: unknown, file: string | undefined): void => {
    config = { raw, file, names: configuredNames(raw, { env: setup.env, file }) };
    cache.clear();
  };

  const handle = async (params: URLSearchParams, scrapeTimeout: string | undefined, gone: AbortSignal): Promise<Answer> => {
    const target = params.get('target') ?? undefined;
    const service = params.get('service') ?? undefined;
    const module = params.get('module') ?? undefined;
    const format = params.get('format') ?? 'prometheus';
    if (format !== 'prometheus' && format !== 'json') return text(400, `format must be prometheus or json, not ${JSON.stringify(format.slice(0, 40))}`, 'bad_request');
    if (target === undefined && service === undefined) return text(400, 'target parameter is missing: /probe?target=https://example.com/ (or service=<configured name>)', 'bad_request');
    if (target !== undefined && service !== undefined) return text(400, 'give target or service, not both', 'bad_request');
    if (service !== undefined && module !== undefined) return text(400, 'module applies to targets; a configured service has its own options', 'bad_request');
    if (module !== undefined && !MODULE_NAME.test(module)) return text(400, 'module must be the name of a module in the config: 1-64 letters, digits, "_", "-" or "."', 'bad_request');
    if ((target ?? service ?? '').length > MAX_TARGET_LENGTH || (target ?? service) === '') return text(400, `target must be 1-${MAX_TARGET_LENGTH} characters`, 'bad_request');

    let prepared: Prepared | Answer;
    try {
      prepared = prepare({ target, service, module });
    } catch (error) {
      if (error instanceof OutageError) return text(400, firstLines(error.message), 'bad_request');
      throw error;
    }
    if ('status' in prepared) return prepared;
    const redact = createRedactor(prepared.secrets);

    const budgetMs = scrapeBudget(scrapeTimeout);
    const started = performance.now();
    const slot = await setup.slots.acquire(budgetMs === undefined ? undefined : budgetMs - MIN_BUDGET_MS, gone);
    if (!slot.ok) {
      // Nobody is left to read it: any status will do, and it is no refusal.
      if (slot.why === 'gone') return text(503, 'client went away');
      if (slot.why === 'closed') return text(503, 'outage serve is shutting down; this probe was not started', 'shutting_down', { 'Retry-After': '1' });
      return text(503, `too many probes at once (${setup.slots.describe()}); retry later`, 'overloaded', { 'Retry-After': '1' });
    }
    setup.metrics.inFlight += 1;
    try {
      const left = budgetMs === undefined ? undefined : Math.max(MIN_BUDGET_MS, budgetMs - (performance.now() - started));
      const signal = AbortSignal.any([setup.stop, gone]);
      // Within a scrape timeout there is no room to measure again what outage's own load clouded.
      const remeasure = budgetMs === undefined;
      // No attempt longer than the scrape allows, so the judge weighs a timeout against that.
      const spec = left !== undefined && left < prepared.spec.timeoutMs ? { ...prepared.spec, timeoutMs: left } : prepared.spec;
      const report = await runCheck({ services: [spec], canaries: [], concurrency: 1, secrets: prepared.secrets }, { signal, failOn: 'degraded', remeasure, deadlineMs: left });
      const result = report.services[0];
      // A timer that ran out in the time the wait for a slot took from this probe says nothing
      // of the target (it answered in 1 s of a 3 s scrape, after 2 s in outage's queue): the scrape
      // fails (up == 0, overloaded), never a false probe_success 0.
      const queued = budgetMs === undefined || left === undefined ? 0 : budgetMs - left;
      const unqueued = budgetMs === undefined ? 0 : Math.min(budgetMs, prepared.spec.timeoutMs * (prepared.spec.retries + 1));
      if (result && slot.queued && left !== undefined && left < unqueued && result.code && isTimeout(result.code)) {
        return text(503, `the probe ran out of time after waiting ${(queued / 1000).toFixed(1)} s for a slot (${setup.slots.describe()}); retry later`, 'overloaded', { 'Retry-After': '1' });
      }
      if (report.interrupted || !result) {
        // A scraper that hung up is no refusal: nobody reads this answer.
        if (!setup.stop.aborted) return text(503, 'probe interrupted: the client went away');
        return text(503, 'probe interrupted: outage serve is shutting down', 'shutting_down', { 'Retry-After': '1' });
      }
      setup.metrics.probeDone(result.status, result.durationMs / 1000);
      return format === 'json'
        ? { status: 200, contentType: 'application/json; charset=utf-8', body: redact(renderJson(report)) }
        : { status: 200, contentType: EXPOSITION_CONTENT_TYPE, body: redact(renderProbe(report)) };
    } finally {
      setup.metrics.inFlight -= 1;
      slot.release();
    }
  };
  return { handle, useConfig };
}

/** `X-Prometheus-Scrape-Timeout-Seconds` minus the offset, as blackbox_exporter does; undefined without one. */
export function scrapeBudget(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isNaN(seconds) || seconds <= 0) return undefined;
  // At most outage's longest duration: a timer past 2^31 ms fires at once (Node's overflow), and
  // the scrape would be refused as if its wait were over.
  return Math.min(MAX_DURATION_MS, Math.max(MIN_BUDGET_MS, seconds * 1000 - SCRAPE_TIMEOUT_OFFSET_MS));
}

/** What the policy judges: the endpoint's scheme, host and port (a DNS-only service has none). */
function targetAsked(spec: ServiceSpec): TargetAsked | undefined {
  const endpoint = spec.endpoint;
  if (!endpoint) return undefined;
  return { scheme: endpoint.protocol, host: endpoint.host, port: endpoint.port };
}

function firstLines(message: string): string {
  return message.split('\n').slice(0, 20).join('\n');
}
