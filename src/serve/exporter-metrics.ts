/**
 * `/metrics`: the exporter's own health — probes run by status, their durations, probes in
 * flight and waiting, requests refused and why — and the process metrics every Prometheus client
 * library exports under the same names (process_resident_memory_bytes, …). Counters only grow and
 * their label values are fixed sets: nothing a request says becomes a label.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { STATUSES, type Status } from '../core/status.js';
import { Exposition } from '../report/exposition.js';

/** Probe durations: the buckets blackbox users graph (seconds). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const REFUSALS = ['bad_request', 'unauthorized', 'forbidden_target', 'rate_limited', 'overloaded', 'shutting_down', 'not_found'] as const;
export type Refusal = (typeof REFUSALS)[number];

export class ExporterMetrics {
  private readonly probes = new Map<Status, number>(STATUSES.map((s) => [s, 0]));
  private readonly refused = new Map<Refusal, number>(REFUSALS.map((r) => [r, 0]));
  private readonly buckets = DURATION_BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;
  private errors = 0;
  inFlight = 0;
  waiting = 0;
  private readonly startedAt = Date.now() / 1000 - process.uptime();
  /** blackbox_exporter's pair: whether the last SIGHUP's config loaded, and when one last did (start-up counts). */
  private reloadOk = true;
  private loadedAt = Date.now() / 1000;

  probeDone(status: Status, seconds: number): void {
    this.probes.set(status, (this.probes.get(status) ?? 0) + 1);
    this.durationSum += seconds;
    this.durationCount += 1;
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    });
  }

  refuse(reason: Refusal): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  configReloaded(ok: boolean): void {
    this.reloadOk = ok;
    if (ok) this.loadedAt = Date.now() / 1000;
  }

  /** A bug in outage while answering: the request got a 500. */
  error(): void {
    this.errors += 1;
  }

  text(): string {
    const out = new Exposition();
    const probes = out.family('outage_serve_probes_total', 'counter', 'Probes run through /probe, by the status they found.');
    for (const [status, n] of this.probes) probes(n, { status });
    out.histogram('outage_serve_probe_duration_seconds', 'How long /probe checks took.', DURATION_BUCKETS, this.buckets, this.durationSum, this.durationCount);
    out.family('outage_serve_probes_in_flight', 'gauge', 'Probes running now.')(this.inFlight);
    out.family('outage_serve_probes_waiting', 'gauge', 'Probe requests waiting for a free slot (--max-concurrent).')(this.waiting);
    const refused = out.family('outage_serve_requests_refused_total', 'counter', 'Requests answered without probing, by reason.');
    for (const [reason, n] of this.refused) refused(n, { reason });
    out.family('outage_serve_errors_total', 'counter', 'Requests that failed on a bug in outage (answered 500).')(this.errors);
    out.family('outage_serve_config_last_reload_successful', 'gauge', 'Whether the config read at the last SIGHUP was valid and is served (1), or the previous one still is (0).')(this.reloadOk ? 1 : 0);
    out.family('outage_serve_config_last_reload_success_timestamp_seconds', 'gauge', 'When the config served was loaded (start-up or SIGHUP), in unix time.')(Math.round(this.loadedAt));
    processMetrics(out, this.startedAt);
    return out.text();
  }
}

function processMetrics(out: Exposition, startedAt: number): void {
  const usage = process.cpuUsage();
  out.family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.')((usage.user + usage.system) / 1e6);
  out.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.')(process.memoryUsage.rss());
  out.family('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.')(Math.round(startedAt));
  const fds = openFds();
  if (fds !== undefined) out.family('process_open_fds', 'gauge', 'Number of open file descriptors.')(fds);
  const max = maxFds();
  if (max !== undefined) out.family('process_max_fds', 'gauge', 'Maximum number of open file descriptors.')(max);
  const heap = process.memoryUsage();
  out.family('nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.')(heap.heapUsed);
}

/** Linux only (/proc); elsewhere the metric is left out rather than guessed. */
function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length - 1; // the directory handle readdir itself opened
  } catch {
    return undefined;
  }
}

export function maxFds(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}
