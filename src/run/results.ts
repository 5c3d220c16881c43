/**
 * Turning a service's attempts into its ServiceResult: judge each probe per attempt, combine across
 * retries, and pick the service's status (worst probe) and reason (first probe, in dns → tcp → tls
 * → http order, that has that status — the root cause, not its consequences).
 */
import type { Observation } from '../probes/types.js';
import type { ProbeResult, ServiceResult } from '../report/types.js';
import { worst } from '../status.js';
import { vendorWords, type VendorStatus } from '../vendor/types.js';
import { combineAttempts, judge, type Judgement } from './evaluate.js';
import type { ServiceRun } from './schedule.js';

export function serviceResult(run: ServiceRun): ServiceResult {
  const { service } = run;
  const probes: ProbeResult[] = run.kinds.map((kind) => {
    const perAttempt = run.attempts.map((attempt): Judgement | 'skipped' | undefined => {
      const crash = attempt.crashed?.kind === kind ? attempt.crashed : undefined;
      if (crash) return { status: 'unknown', code: 'internal.error', reason: crash.reason };
      const observation = attempt.observations[kind];
      if (!observation) return 'skipped';
      if (attempt.interrupted && observation.failure) return { status: 'unknown', code: 'interrupted', reason: 'interrupted before it finished' };
      return judge(observation, service);
    });
    const judged = combineAttempts(kind, perAttempt);
    const ran = run.attempts.map((a) => a.observations[kind]).filter((o): o is Observation => o !== undefined);
    const last = ran.at(-1);
    return {
      kind,
      status: judged.status,
      code: judged.code,
      reason: judged.reason,
      durationMs: round(last?.durationMs ?? 0),
      attempts: ran.length,
      ...(last?.kind === 'http' ? { timings: roundAll(last.timings) } : {}),
      details: { ...(last ? detailsOf(last) : {}), ...(judged.firstFailure ? { firstFailure: judged.firstFailure } : {}) },
    };
  });

  if (run.attempts.length === 0) {
    return base(run, 'unknown', 'interrupted', 'not checked: the run was interrupted first', probes);
  }
  // What was measured decides; the vendor's word is shown beside it (see withVendor).
  const measured = probes.filter((p) => p.kind !== 'status');
  const status = worst(measured.map((p) => p.status));
  const cause = measured.find((p) => p.status === status);
  const reason = status === 'up' ? upReason(measured) : (cause?.reason ?? status);
  const result = base(run, status, status === 'up' ? null : (cause?.code ?? null), reason, probes);
  const vendorProbe = probes.find((p) => p.kind === 'status');
  return vendorProbe && vendorProbe.status !== 'skipped' ? withVendor(result, vendorProbe, run.service.status?.url ?? '') : result;
}

/**
 * "measured: up · vendor: major outage — Users may have trouble loading messages". A declared
 * major outage on a service that measured up makes it degraded: the vendor sees what an outside
 * probe cannot (Meta 2024: every page answered 200 while users were logged out). It never makes a
 * service down, and a status page that cannot be read changes nothing.
 */
function withVendor(result: ServiceResult, probe: ProbeResult, url: string): ServiceResult {
  const vendor = probe.details.vendor as VendorStatus | undefined;
  const words = vendor ? vendorWords(vendor) : probe.code === 'status.unrecognized' ? 'status page unreadable' : 'status page unavailable';
  const measured = result.status === 'up' ? 'measured: up' : `measured: ${result.status} — ${result.reason}`;
  const declared = probe.status === 'down' && result.status === 'up';
  return {
    ...result,
    status: declared ? 'degraded' : result.status,
    code: declared ? 'vendor.incident' : result.code,
    reason: `${measured} · vendor: ${words}`,
    vendor: { url, indicator: vendor?.indicator ?? 'unknown', words, code: probe.code, incidents: vendor?.incidents ?? [] },
  };
}

function base(run: ServiceRun, status: ServiceResult['status'], code: ServiceResult['code'], reason: string, probes: ProbeResult[]): ServiceResult {
  return {
    name: run.service.name,
    target: run.service.target,
    status,
    code,
    reason,
    critical: run.service.critical,
    tags: run.service.tags,
    durationMs: round(run.durationMs),
    thresholds: {
      latencyDegradedMs: run.service.latencyDegradedMs,
      ...(run.service.tls ? { certificateDegradedDays: run.service.tls.certificate.degradedDays, certificateDownDays: run.service.tls.certificate.downDays } : {}),
    },
    probes,
  };
}

/** For a healthy service, the most telling fact: the HTTP line, else the deepest probe's. */
function upReason(probes: ProbeResult[]): string {
  return probes.at(-1)?.reason ?? 'up';
}

function detailsOf(observation: Observation): Record<string, unknown> {
  switch (observation.kind) {
    case 'dns': {
      const { name, resolvers, source, records, cnameChain, nameServers, partialFailures, byResolver } = observation;
      return {
        name,
        resolvers,
        source,
        records,
        cnameChain,
        ...(nameServers ? { nameServers } : {}),
        ...(partialFailures.length ? { partialFailures } : {}),
        ...(byResolver ? { byResolver: byResolver.map((a) => ({ ...a, durationMs: round(a.durationMs) })) } : {}),
      };
    }
    case 'tcp':
      return { address: observation.address, port: observation.port, attempts: observation.attempts.map((a) => ({ ...a, durationMs: round(a.durationMs) })) };
    case 'tls': {
      const { protocol, cipher, alpn, authorized, authorizationError, earliest, chain, presented } = observation;
      // What the server sent matters when it differs from the verified chain (an extra
      // cross-signed root, a missing intermediate). Usually it is the chain minus the root.
      const same = presented.length <= chain.length && presented.every((c, i) => c.fingerprint256 === chain[i]?.fingerprint256);
      return {
        protocol,
        cipher,
        alpn,
        authorized,
        authorizationError,
        daysLeft: earliest?.daysLeft,
        earliest: earliest && { subject: earliest.subject, validTo: earliest.validTo },
        chain,
        ...(same ? {} : { presented }),
      };
    }
    case 'http': {
      const { status, url, hops, bodyBytes, bodyTruncated, contentType } = observation;
      return { status, url, hops: hops.map((h) => ({ ...h, durationMs: round(h.durationMs) })), bodyBytes, bodyTruncated, contentType };
    }
    case 'hosts':
      return { assets: observation.assets, assetHostsFound: observation.assetHostsFound, hosts: observation.checked.map((h) => ({ ...h, durationMs: round(h.durationMs) })) };
    case 'status':
      return { url: observation.url, ...(observation.vendor ? { vendor: observation.vendor } : {}) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function roundAll<T extends object>(timings: T): T {
  return Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;
}
