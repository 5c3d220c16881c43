/**
 * Services and canaries run side by side. When the canaries fail too, the verdict stops the
 * services still waiting on their timeouts — with no network the run ends within the canaries'
 * short budget — and the failed ones are not judged. With DNS alone broken here (connections by
 * address work) nothing is stopped and only services' DNS failures are not judged; with a resolver
 * failing one family only (AAAA dropped), services are judged without that failure. Any service
 * not up waits for the canaries (1.5 s at most), so the verdict is there whenever it explains
 * something. When every service answers before the canaries do, the canaries have nothing to
 * explain and are stopped.
 *
 * A verdict covers the path the canaries take. When every canary is out on the internet (the
 * built-in ones), a service on loopback, a private network or a local name is not on that path:
 * with no network at all it is neither stopped by the verdict nor left unjudged, but measured.
 */
import { CANARY_TIMEOUT_MS } from '../config/canaries.js';
import { dependsOnInternet } from '../config/internet.js';
import type { ServiceSpec } from '../config/service.js';
import { applyVerdict, connected, diagnoseLocalNetwork, refutable, refutedBy, type OnPath } from '../diagnose/local-network.js';
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
  /** Each service's attempts end within this many ms (see RunOptions.deadlineMs). */
  deadlineMs?: number;
  /** No service's attempt runs past this moment (see RunOptions.endsAt). */
  endsAt?: number;
  /** What a queued service needs left to be started (see RunOptions.queuedFloorMs). */
  queuedFloorMs?: (service: ServiceSpec) => number | undefined;
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
    // Services the canaries' verdict cannot speak for run on their own, never stopped by it (one
    // at a time, as asked, keeps them all in one run).
    const outside = (service: ServiceSpec) => options.concurrency >= 2 && canaries.length > 0 && canaries.every(dependsOnInternet) && !dependsOnInternet(service);
    const covered = services.filter((s) => !outside(s));
    const apart = services.filter(outside);
    // The connections of a service that can contradict a verdict about the way out: those that take
    // the canaries' path. With canaries out on the internet, one to the LAN says nothing of it —
    // the service's own address and its status page are told apart (either may be the local one).
    const internetCanaries = canaries.some(dependsOnInternet);
    const onPath = (service: ServiceSpec): OnPath => ({
      own: !outside(service) && (!internetCanaries || dependsOnInternet({ ...service, status: undefined })),
      status: !outside(service) && service.status !== undefined && (!internetCanaries || dependsOnInternet(service.status.check)),
      internet: internetCanaries,
    });
    let pathConnected = false;
    let done = 0;
    let remeasured = 0;
    let remeasuredAtOnce = 0;
    const run = (group: ServiceSpec[], signal: AbortSignal | undefined, share: number) =>
      group.length === 0
        ? Promise.resolve([])
        : runServices(group, {
            concurrency: share,
            kinds: options.kinds,
            signal,
            onServiceDone: (finished) => {
              options.onProgress?.(++done, services.length);
              if (canaries.length > 0 && !pathConnected && connected(judgeService(finished), onPath(finished.service))) pathConnected = true;
            },
            remeasure: options.remeasure,
            deadlineMs: options.deadlineMs,
            endsAt: options.endsAt,
            queuedFloorMs: options.queuedFloorMs,
            onRemeasured: (count, concurrency) => {
              remeasured += count;
              remeasuredAtOnce = Math.max(remeasuredAtOnce, concurrency);
            },
          });
    // The concurrency cap is shared: the services apart get their share of it.
    const apartShare = apart.length === 0 ? 0 : Math.min(options.concurrency - 1, Math.max(1, Math.round((options.concurrency * apart.length) / services.length)));
    const coveredDone = run(covered, stopServices.signal, Math.max(1, options.concurrency - apartShare));
    const apartDone = run(apart, options.signal, apartShare);
    const servicesDone = Promise.all([coveredDone, apartDone]).then(([a, b]) => {
      if (remeasured > 0) options.onRemeasured?.(remeasured, remeasuredAtOnce);
      const runs = new Map([...a, ...b].map((r) => [r.service, r]));
      return services.flatMap((s) => runs.get(s) ?? []);
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
    // A tentative verdict stops nothing: a service that connects refutes it. Nor does one about
    // the way out once a service on the canaries' path has connected through it: stopping the
    // rest would leave them unjudged under a verdict that is wrong.
    const grace = Math.max(VERDICT_GRACE_MS, CANARY_TIMEOUT_MS - (performance.now() - started));
    if (!verdict.tentative) await Promise.race([coveredDone, process.getBuiltinModule('node:timers/promises').setTimeout(grace, undefined, { ref: false })]);
    if (verdict.tentative || (refutable(verdict) && pathConnected)) await coveredDone;
    stopServices.abort(new Interrupted('local network problem'));
    const measured = await results();
    if (refutedBy(verdict, measured, (i) => onPath(services[i] as ServiceSpec))) {
      // A service that connected only after the stop refutes it too late for those it stopped:
      // they are measured again, whole, instead of being left `interrupted` under no verdict.
      const stopped = options.signal?.aborted ? [] : services.filter((s, i) => !outside(s) && measured[i]?.code === 'interrupted');
      if (stopped.length === 0) return { services: measured, localNetwork: { ok: true, canaries: summary } };
      done -= stopped.length;
      const again = new Map((await run(stopped, options.signal, options.concurrency)).map((r) => [r.service, judgeService(r)]));
      return { services: measured.map((result, i) => again.get(services[i] as ServiceSpec) ?? result), localNetwork: { ok: true, canaries: summary } };
    }
    const judged = measured.map((result, i) => (outside(services[i] as ServiceSpec) ? result : applyVerdict([result], verdict)[0] as ServiceResult));
    return { services: judged, localNetwork: { ok: false, verdict: verdict.verdict, scope: verdict.scope, layers: verdict.layers, reason: verdict.reason, canaries: summary } };
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}
