/**
 * Asking other vantage points (`outage serve` instances) about the services this run checks:
 * `GET <vantage>/probe?target=…&format=json`, the same report `check --json` prints. What a
 * vantage answers is its own measurement; a vantage that does not answer (refused, timed out,
 * an HTTP error, not JSON) is `unknown` for that vantage only.
 *
 * The remote checks the same target (the URL or host:port; a catalog entry by its name) with its
 * own defaults and, when the vantage names one, its module. Nothing secret is sent: a service
 * whose check carries credentials (auth headers, cookies, URL user-info, a client certificate) is
 * not asked about, since the remote would need them to judge it fairly; nor is a DNS-only check,
 * which has no target /probe takes.
 */
import type { IncomingMessage } from 'node:http';
import { DEFAULTS, type ServiceSpec } from '../config/service.js';
import type { VantageSpec } from '../config/vantages.js';
import { isInterrupted, startBudget } from '../core/budget.js';
import { CREDENTIAL_HEADERS } from '../core/redact.js';
import { NOT_ASKED, REPORT_SCHEMA_VERSION, type VantageResult } from '../core/result.js';
import { STATUSES, type Status } from '../core/status.js';
import { FAILURE_CODES, type FailureCode } from '../core/failure.js';

/** Time for the answer to travel, on top of the remote probe's own budget. */
const TRANSPORT_MS = 1500;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** The remote's duration may round up past what was measured here by this much. */
const DURATION_SLACK_MS = 50;

/** Every vantage's view of every service, in service order then vantage order. */
export async function askVantages(services: ServiceSpec[], vantages: VantageSpec[], options: { concurrency: number; signal?: AbortSignal }): Promise<VantageResult[][]> {
  const results: VantageResult[][] = services.map(() => []);
  const jobs = services.flatMap((service, s) => vantages.map((vantage, v) => ({ service, vantage, s, v })));
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (!job) break;
      const row = results[job.s];
      if (row) row[job.v] = await askVantage(job.vantage, job.service, options.signal);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, jobs.length)) }, worker));
  return results;
}

export async function askVantage(vantage: VantageSpec, service: ServiceSpec, interrupt?: AbortSignal): Promise<VantageResult> {
  const started = performance.now();
  const result = (status: Status, code: VantageResult['code'], reason: string): VantageResult => ({ from: vantage.name, status, code, reason, durationMs: Math.round(performance.now() - started) });
  const notAsked = (why: string) => result('unknown', null, NOT_ASKED + why);
  if (carriesCredentials(service)) return notAsked('the check sends credentials, which are never shared with another machine');
  // /probe takes a URL, host:port or catalog name; a bare DNS name would be a 400, not the vantage's silence.
  if (!service.endpoint && !service.catalog) return notAsked('a DNS check has no URL or host:port, which is what a vantage takes');
  // Judged by outage's defaults there, an answer these options call up (a 503 expected in
  // maintenance) would be "down only from <vantage>: its path", a false verdict. A vantage named
  // with a module is taken to carry them.
  const judging = vantage.module ? [] : untravelled(service);
  if (judging.length > 0) {
    return notAsked(`${judging.join(', ')} ${judging.length === 1 ? 'decides' : 'decide'} this check and does not travel with the target; name the vantage with a module that has ${judging.length === 1 ? 'it' : 'them'}`);
  }
  const budgetMs = service.timeoutMs * (service.retries + 1);
  const query = new URLSearchParams({ target: service.catalog ?? service.target, format: 'json', ...(vantage.module ? { module: vantage.module } : {}) });
  // A budget held by this call, not AbortSignal.timeout inside AbortSignal.any: Node holds that
  // timeout signal only weakly, so a garbage collection while the vantage dribbles its answer
  // removed the deadline and `check --from` waited for ever (nodejs/node#57736).
  const budget = startBudget(budgetMs + TRANSPORT_MS, interrupt);
  const signal = budget.signal;
  try {
    const answer = await get(`${vantage.url}/probe?${query}`, {
      Accept: 'application/json',
      // The remote gives its probe the same budget this machine gave its own.
      'X-Prometheus-Scrape-Timeout-Seconds': String((budgetMs + 500) / 1000),
      ...(vantage.authorization ? { Authorization: vantage.authorization } : {}),
    }, signal);
    if (answer.status !== 200) return result('unknown', 'vantage.unreachable', `${vantage.name} answered HTTP ${answer.status}: ${firstLine(answer.body)}`);
    const remote = readRemote(answer.body, performance.now() - started);
    if ('unusable' in remote) return result('unknown', 'vantage.unreachable', `${vantage.name} answered an unusable report: ${remote.unusable}`);
    return { from: vantage.name, ...remote };
  } catch (error) {
    const why = signal.aborted ? (isInterrupted(signal) ? 'interrupted' : `no answer within ${Math.round((budgetMs + TRANSPORT_MS) / 1000)}s`) : describe(error);
    return result('unknown', 'vantage.unreachable', `${vantage.name} did not answer: ${why}`);
  } finally {
    budget.dispose();
  }
}

function carriesCredentials(service: ServiceSpec): boolean {
  const headers = Object.keys(service.http?.headers ?? {}).some((h) => CREDENTIAL_HEADERS.has(h.toLowerCase()));
  return headers || service.tls?.client !== undefined;
}

/**
 * The options of a check, beyond its target, that can turn an answer up or down: the remote would
 * judge without them. A catalog entry travels by its name, with its options.
 */
function untravelled(service: ServiceSpec): string[] {
  if (service.catalog) return [];
  const http = service.http;
  const found: string[] = [];
  if (http) {
    if (http.method !== DEFAULTS.method) found.push('http.method');
    if (http.body !== undefined) found.push('http.body');
    if (Object.keys(http.headers).length > 0) found.push('http.headers');
    if (JSON.stringify(http.expectStatus) !== JSON.stringify(DEFAULTS.expectStatus)) found.push('http.expect.status');
    if (http.expectBody !== undefined || http.expectBodyRegex !== undefined) found.push('http.expect.body');
    if (http.followRedirects !== DEFAULTS.followRedirects) found.push('http.followRedirects');
  }
  // A longer timeout than the default lets a slow answer be up here that the remote would time
  // out; a shorter one only makes the remote more lenient, never a false "down there".
  if (service.timeoutMs > DEFAULTS.timeoutMs) found.push('timeout');
  if (service.tls?.ca !== undefined) found.push('tls.ca');
  if (service.tls && !service.tls.verify) found.push('tls: false');
  if (service.tls && service.tls.certificate.downDays !== DEFAULTS.certificateDownDays) found.push('certificate.down');
  if (service.dns && service.dns.expect) found.push('dns.expect');
  return found;
}

/**
 * The remote report's one service, checked whole: a vantage is another machine, perhaps another
 * version, perhaps not outage at all. Anything out of range (a duration of 1e308 ms, or longer
 * than this machine waited for the answer; a status outage does not have) makes the whole answer
 * unusable, said why, rather than a number in a table that cannot be true. A well-formed failure
 * code this version does not know (a newer remote's) is left out; the status stands.
 */
function readRemote(body: string, waitedMs: number): Omit<VantageResult, 'from'> | { unusable: string } {
  let report: unknown;
  try {
    report = JSON.parse(body);
  } catch {
    return { unusable: 'not an outage report (not JSON)' };
  }
  if (report === null || typeof report !== 'object' || Array.isArray(report)) return { unusable: 'not an outage report (not a JSON object)' };
  const { schemaVersion, services } = report as { schemaVersion?: unknown; services?: unknown };
  if (schemaVersion !== REPORT_SCHEMA_VERSION) return { unusable: `report schema version ${shown(schemaVersion)}, not ${REPORT_SCHEMA_VERSION}` };
  if (!Array.isArray(services)) return { unusable: 'not an outage report (no services)' };
  if (services.length !== 1) return { unusable: `1 service asked about, ${services.length} answered` };
  const service = services[0] as Record<string, unknown> | null;
  if (service === null || typeof service !== 'object') return { unusable: 'services[0] is not a service' };
  const { status, code, reason, durationMs } = service;
  if (!STATUSES.includes(status as Status)) return { unusable: `services[0].status ${shown(status)} is not ${STATUSES.slice(0, -1).join(', ')} or ${STATUSES.at(-1)}` };
  if (code !== null && code !== undefined && (typeof code !== 'string' || !/^[a-z]+\.[a-z_]+$/.test(code))) return { unusable: 'services[0].code is not a failure code' };
  if (reason !== undefined && typeof reason !== 'string') return { unusable: 'services[0].reason is not text' };
  if (typeof durationMs !== 'number') return { unusable: 'services[0].durationMs is not a number' };
  // The remote's clock runs from after the request arrived to before its answer left: it cannot
  // exceed what this machine waited (a little slack for the two clocks' rounding).
  const most = Math.ceil(waitedMs) + DURATION_SLACK_MS;
  if (!Number.isFinite(durationMs) || durationMs < 0 || durationMs > most) return { unusable: `services[0].durationMs ${shown(durationMs)} is not 0-${most} ms (the time this machine waited for the answer)` };
  return {
    status: status as Status,
    code: typeof code === 'string' && (FAILURE_CODES as readonly string[]).includes(code) ? (code as FailureCode) : null,
    reason: typeof reason === 'string' ? reason.slice(0, 500) : '',
    durationMs: Math.round(durationMs),
  };
}

/** A remote value in a reason: short, and never more than 40 characters of whatever it sent. */
function shown(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

async function get(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: string }> {
  // Loaded here, not at start-up: most runs ask no vantage, and node:http costs every run ~2 ms.
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers, signal }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          response.destroy(new Error(`answer over ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', ENOTFOUND: 'name not found', EHOSTUNREACH: 'no route to host', ETIMEDOUT: 'timed out' };
  return (code && words[code]) ?? (error as Error).message ?? String(error);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
