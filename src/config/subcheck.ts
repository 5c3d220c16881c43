/**
 * Checks a service spawns of its own — its status endpoint, its other hosts, its page's asset
 * hosts — are ordinary ServiceSpecs, so they run through the same probes and are judged by the
 * same rules. They inherit the parent's resolvers, trust and budget, and never retry on their own
 * (the parent's retry reruns them).
 */
import type { ConfigProblem } from '../core/errors.js';
import { kindFromUrl } from '../status-pages/registry.js';
import type { ServiceInput } from './schema.js';
import type { HostsSpec, ServiceSpec, StatusSpec } from './service.js';
import { DEFAULTS } from './service.js';
import { parseUrlTarget } from './targets.js';
import type { StatusRange } from '../core/http-status-range.js';

export interface SubcheckOptions {
  name: string;
  method: 'GET' | 'HEAD';
  expectStatus: StatusRange[];
  maxBodyBytes: number;
  headers?: Record<string, string>;
}

/** A spec for `url` run on behalf of `parent`; a string when the URL is not one outage can check. */
export function subcheckSpec(parent: Pick<ServiceSpec, 'timeoutMs' | 'resolvers' | 'latencyDegradedMs' | 'tls' | 'proxy'>, url: string, options: SubcheckOptions): ServiceSpec | string {
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
    // The parent's proxies: NO_PROXY is matched against the subcheck's own host.
    ...(parent.proxy ? { proxy: parent.proxy } : {}),
  };
}

/**
 * What answering means for a host a service depends on: any status below 500 (a 404 asset is the
 * page's bug, not the host's outage), or 501 to a HEAD it does not implement.
 */
export const HOST_ANSWERED: StatusRange[] = [[100, 499], [501, 501]];

/** A host a service depends on, from `hosts` or found in its page: DNS, TCP, TLS and a HEAD. */
export function hostCheckSpec(parent: ServiceSpec, url: string): ServiceSpec | string {
  const host = URL.canParse(url) ? new URL(url).hostname : url;
  return subcheckSpec(parent, url, { name: host, method: 'HEAD', expectStatus: HOST_ANSWERED, maxBodyBytes: 1024 });
}

export function statusSpec(input: ServiceInput, parent: ServiceSpec, path: string, problems: ConfigProblem[]): StatusSpec | undefined {
  if (!input.status) return undefined;
  const { url, kind } = typeof input.status === 'string' ? { url: input.status, kind: undefined } : input.status;
  const check = subcheckSpec({ ...parent, tls: undefined }, url, {
    name: `${parent.name} status`,
    method: 'GET',
    expectStatus: [[200, 299]],
    maxBodyBytes: DEFAULTS.maxStatusBodyBytes,
    headers: { accept: 'application/json' },
  });
  if (typeof check === 'string') return void problems.push({ path: `${path}.status`, message: check });
  return { url: check.target, kind: kind ?? kindFromUrl(new URL(check.target)), check };
}

/** `hosts` and `http.assets`, which rules.ts allows on url services only. */
export function hostsSpec(input: ServiceInput, parent: ServiceSpec, path: string, problems: ConfigProblem[]): HostsSpec | undefined {
  const assets = input.http?.assets;
  if (!input.hosts?.length && !assets) return undefined;
  const configured: ServiceSpec[] = [];
  (input.hosts ?? []).forEach((url, index) => {
    if (input.hosts?.indexOf(url) !== index) return;
    const spec = hostCheckSpec(parent, url);
    if (typeof spec === 'string') problems.push({ path: `${path}.hosts[${index}]`, message: spec });
    else configured.push(spec);
  });
  return { configured, ...(assets ? { assets: { max: (assets === true ? undefined : assets.max) ?? DEFAULTS.maxAssetHosts } } : {}) };
}

