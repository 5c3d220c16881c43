/**
 * The guarantee behind every deadline: whatever a target does, and even if some await inside a
 * probe failed to honour its signal, an attempt ends within its budget plus a small grace. When
 * the watchdog has to step in, the probe is recorded as timed out in its own terms.
 */
import type { ServiceSpec } from '../config/service.js';
import type { Failure, Observation, ProbeKind } from '../probes/types.js';
import { DeadlineExceeded } from './deadline.js';

/** How long past the deadline a probe may take to wind down on its own. */
export const GRACE_MS = 100;

export function withWatchdog<T>(work: Promise<T>, signal: AbortSignal, onOverrun: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const overrun = new Promise<T>((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve(onOverrun()), GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, overrun]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}

const TIMEOUT_CODE = {
  dns: 'dns.timeout',
  tcp: 'tcp.timeout',
  tls: 'tls.handshake_timeout',
  http: 'http.timeout',
  hosts: 'http.timeout',
  status: 'status.unavailable',
} as const;

export function overrunObservation(kind: ProbeKind, service: ServiceSpec, signal: AbortSignal, durationMs: number): Observation {
  const budget = signal.reason instanceof DeadlineExceeded ? `within ${signal.reason.timeoutMs}ms` : 'before it was stopped';
  const failure: Failure = { code: TIMEOUT_CODE[kind], reason: `${kind} did not finish ${budget}` };
  switch (kind) {
    case 'dns':
      return { kind, name: service.dns ? service.dns.name : (service.endpoint?.host ?? ''), resolvers: service.resolvers.length ? service.resolvers : 'system', source: 'dns', records: [], cnameChain: [], partialFailures: [], durationMs, failure };
    case 'tcp':
      return { kind, port: service.endpoint?.port ?? 0, attempts: [], durationMs, failure };
    case 'tls':
      return { kind, authorized: false, presented: [], chain: [], verify: service.tls?.verify ?? true, durationMs, failure };
    case 'http':
      return { kind, url: service.target, hops: [], timings: { total: durationMs }, bodyBytes: 0, bodyTruncated: false, durationMs, failure };
    case 'hosts':
      return { kind, assets: service.hosts?.assets !== undefined, assetHostsFound: 0, checked: [], durationMs, failure };
    case 'status':
      return { kind, url: service.status?.url ?? '', durationMs, failure };
  }
}
