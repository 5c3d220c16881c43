/**
 * Checks a service spawns of its own — its status endpoint, its other hosts, its page's asset
 * hosts — are ordinary ServiceSpecs, so they run through the same probes and are judged by the
 * same rules. They inherit the parent's resolvers, trust and budget, and never retry on their own
 * (the parent's retry reruns them).
 */
import type { ServiceSpec } from './service.js';
import { DEFAULTS } from './service.js';
import { parseUrlTarget } from './targets.js';
import type { StatusRange } from '../util/status-range.js';

export interface SubcheckOptions {
  name: string;
  method: 'GET' | 'HEAD';
  expectStatus: StatusRange[];
  maxBodyBytes: number;
  headers?: Record<string, string>;
}

/** A spec for `url` run on behalf of `parent`; a string when the URL is not one outage can check. */
export function subcheckSpec(parent: Pick<ServiceSpec, 'timeoutMs' | 'resolvers' | 'latencyDegradedMs' | 'tls'>, url: string, options: SubcheckOptions): ServiceSpec | string {
  const target = parseUrlTarget(url);
  if (typeof target === 'string') return target;
  const { endpoint } = target;
  const tls = parent.tls ?? {
    certificate: { degradedDays: DEFAULTS.certificateDegradedDays, downDays: DEFAULTS.certificateDownDays },
    verify: true,
  };
  return {
    name: options.name,
    target: endpoint.url?.toString() ?? url,
    tags: [],
    critical: true,
    endpoint,
    timeoutMs: parent.timeoutMs,
    retries: 0,
    resolvers: parent.resolvers,
    latencyDegradedMs: parent.latencyDegradedMs,
    dns: endpoint.isIp ? false : { name: endpoint.host, types: ['A', 'AAAA'] },
    tls: endpoint.protocol === 'https' ? tls : undefined,
    http: {
      method: options.method,
      headers: { ...(target.authorization ? { Authorization: target.authorization } : {}), ...options.headers },
      expectStatus: options.expectStatus,
      followRedirects: DEFAULTS.followRedirects,
      maxBodyBytes: options.maxBodyBytes,
    },
  };
}

/** What answering means for a host the page depends on: it served, or said it cannot HEAD. */
export const HOST_ANSWERED: StatusRange[] = [[200, 399], [405, 405], [501, 501]];
