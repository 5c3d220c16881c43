/**
 * Hosts probe: the other hosts a service depends on — `hosts` from its config and, with
 * `http.assets`, the hosts its page loads images, scripts and styles from. Each runs as a subcheck
 * (DNS, TCP, TLS, HEAD) in parallel within the attempt's budget. This is the Amazon 2020 pattern:
 * the page answered 200 while the host serving its images had an expired certificate.
 */
import { hostCheckSpec } from '../../config/subcheck.js';
import type { ServiceSpec } from '../../config/service.js';
import { isLocalExhaustion, localFailure } from '../../net/open-file-limit.js';
import type { Probe } from '../contract.js';
import type { HostObservation, HostsObservation } from './observation.js';

export const probeHosts: Probe<HostsObservation> = async (service, context) => {
  const started = performance.now();
  const spec = service.hosts;
  if (!spec) throw new Error(`service ${service.name} has no hosts to check`);
  const planned: { spec: ServiceSpec; host: string; source: HostObservation['source'] }[] = spec.configured.map((s) => ({
    spec: s,
    host: s.endpoint?.host ?? s.target,
    source: 'config',
  }));
  const seen = new Set(spec.configured.map((s) => s.endpoint && `${s.endpoint.host}:${s.endpoint.port}`));
  let assetHostsFound = 0;
  const page = context.observed.http;
  if (spec.assets && page?.body !== undefined) {
    // The HTML parser costs ~35 ms to load: only runs that check assets pay for it.
    const parser = await import('./html-assets.js').catch((error: NodeJS.ErrnoException) => {
      // Out of files while loading it (EMFILE): outage's limit, not the page's fault.
      if (isLocalExhaustion(error.code)) return localFailure('reading the page for asset hosts', error.code);
      throw error;
    });
    if (!('assetHosts' in parser)) return { kind: 'hosts', assets: true, assetHostsFound: 0, checked: [], durationMs: performance.now() - started, failure: parser };
    const found = parser.assetHosts(page.body, page.url);
    assetHostsFound = found.size;
    for (const url of [...found.values()].slice(0, spec.assets.max)) {
      const sub = hostCheckSpec(service, url);
      if (typeof sub === 'string' || !sub.endpoint || seen.has(`${sub.endpoint.host}:${sub.endpoint.port}`)) continue;
      seen.add(`${sub.endpoint.host}:${sub.endpoint.port}`);
      planned.push({ spec: sub, host: sub.endpoint.host, source: 'page' });
    }
  }
  const records = await Promise.all(planned.map((p) => context.subcheck(p.spec)));
  const checked = planned.map((p, i): HostObservation => ({ host: p.host, url: p.spec.target, source: p.source, spec: p.spec, check: records[i]! }));
  return { kind: 'hosts', assets: spec.assets !== undefined, assetHostsFound, checked, durationMs: performance.now() - started };
};
