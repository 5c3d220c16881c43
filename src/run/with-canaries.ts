/**
 * Services and canaries run side by side. When the canaries fail too, the verdict stops the
 * services still waiting on their timeouts — with no network the run ends within the canaries'
 * short budget — and the failed ones are not judged. With DNS alone broken here (connections by
 * address work) nothing is stopped and only services' DNS failures are not judged; with a resolver
 * failing one family only (AAAA dropped), services are judged without that failure. Any service
 * not up waits for the canaries (1.5 s at most), so the verdict is there whenever it explains
 * something. When every service answers before the canaries do, the canaries have nothing to
 * explain and are stopped.
 */
import { CANARY_TIMEOUT_MS } from '../config/canaries.js';
import type { ServiceSpec } from '../config/service.js';
import { applyVerdict, diagnoseLocalNetwork } from '../diagnose/local-network.js';
import type { LocalNetwork } from '../core/result.js';
import { judgeService } from '../judge/service.js';
import type { KindRegistry } from '../probes/registry.js';
import type { ServiceResult } from '../probes/result.js';
import { Interrupted } from '../core/budget.js';
import { runServices } from './schedule.js';

/** Services in flight when a verdict comes get at least this long to answer. */
const VERDICT_GRACE_MS = 250;

export interface CanaryRunOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The probe kinds to run with: the registry, or a test's stand-ins. */
  kinds?: KindRegistry;
  /** false: doubtful measurements are not measured again (see RunOptions.remeasure). */
  remeasure?: boolean;
  /** How many services (not canaries) were measured again because of outage's own load. */
  onRemeasured?: (count: number, concurrency: number) => void;
}

export async function runWithCanaries(
  services: ServiceSpec[],
  canaries: ServiceSpec[],
  options: CanaryRunOptions,
): Promise<{ services: ServiceResult[]; localNetwork?: LocalNetwork }> {
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
    const servicesDone = runServices(services, {
      concurrency: options.concurrency,
      kinds: options.kinds,
      signal: stopServices.signal,
      onServiceDone: (_run, done, total) => options.onProgress?.(done, total),
      remeasure: options.remeasure,
      onRemeasured: options.onRemeasured,
    });
    const results = async () => (await servicesDone).map(judgeService);
    if (canaries.length === 0) return { services: await results() };
    const canariesDone = runServices(canaries, { concurrency: canaries.length, kinds: options.kinds, signal: stopCanaries.signal, remeasure: options.remeasure });
    const first = await Promise.race([canariesDone.then(() => 'canaries' as const), servicesDone.then(() => 'services' as const)]);
    if (first === 'services') {
      const measured = await results();
      if (measured.every((s) => s.status === 'up')) {
        stopCanaries.abort(new Interrupted('not needed'));
        await canariesDone;
        return { services: measured };
      }
    }
    const canaryResults = (await canariesDone).map(judgeService);
    // Interrupted by the user: no verdict from canaries that did not finish.
    if (stopCanaries.signal.aborted) return { services: await results() };
    const summary = canaryResults.map(({ name, target, status, code, reason }) => ({ name, target, status, code, reason }));
    const verdict = diagnoseLocalNetwork(canaryResults);
    if (!verdict) return { services: await results(), localNetwork: { ok: true, canaries: summary } };
    if (verdict.scope === 'dns') {
      // DNS alone is broken: connections work, so services are not stopped — one slow to answer
      // through a proxy or by address is still measured — and the verdict is given only when it
      // explains a service's failure (a proxy-only network has no local DNS, and needs none).
      const measured = await results();
      const judged = applyVerdict(measured, verdict);
      if (judged.every((s, i) => s === measured[i])) return { services: measured, localNetwork: { ok: true, canaries: summary } };
      const { scope, layers, reason } = verdict;
      return { services: judged, localNetwork: { ok: false, verdict: verdict.verdict, scope, layers, reason, canaries: summary } };
    }
    // Services in flight may still answer (a verdict can come early: NXDOMAIN is instant), and
    // what answered is reported as measured: they get until the canaries' own budget is spent.
    const grace = Math.max(VERDICT_GRACE_MS, CANARY_TIMEOUT_MS - (performance.now() - started));
    await Promise.race([servicesDone, process.getBuiltinModule('node:timers/promises').setTimeout(grace, undefined, { ref: false })]);
    stopServices.abort(new Interrupted('local network problem'));
    return { services: applyVerdict(await results(), verdict), localNetwork: { ok: false, verdict: verdict.verdict, scope: verdict.scope, layers: verdict.layers, reason: verdict.reason, canaries: summary } };
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}
