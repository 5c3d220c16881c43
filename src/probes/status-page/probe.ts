/**
 * Status-page probe: what the vendor itself declares, read from its status API. The endpoint is
 * fetched as a subcheck (so a failing status page is classified as precisely as any service), then
 * read by the product's parser (status-pages/registry.ts). An endpoint that cannot be fetched is
 * this probe's failure only: judged `unknown`, never the service `down`.
 */
import { parseVendorStatus } from '../../status-pages/registry.js';
import type { Failure } from '../../core/failure.js';
import type { Probe } from '../contract.js';
import type { SubcheckRecord } from '../subcheck-record.js';
import type { StatusObservation } from './observation.js';

export const probeStatus: Probe<StatusObservation> = async (service, context) => {
  const started = performance.now();
  const spec = service.status;
  if (!spec) throw new Error(`service ${service.name} has no status endpoint`);
  const endpoint = await context.subcheck(spec.check);
  const observation: StatusObservation = { kind: 'status', url: spec.url, endpoint, durationMs: performance.now() - started };
  const fetchFailure = failureOf(endpoint);
  if (fetchFailure) {
    observation.failure = { code: 'status.unavailable', reason: `status endpoint ${spec.url}: ${fetchFailure.code} — ${fetchFailure.reason}` };
    return observation;
  }
  const http = endpoint.observations.http;
  if (http?.body === undefined) return observation;
  if (http.bodyTruncated) {
    observation.unreadable = `body larger than ${http.bodyBytes} bytes`;
    return observation;
  }
  let body: unknown;
  try {
    body = JSON.parse(http.body);
  } catch {
    observation.unreadable = `not JSON (${http.contentType ?? 'no content type'})`;
    return observation;
  }
  const vendor = parseVendorStatus(body, spec.kind);
  if (typeof vendor === 'string') observation.unreadable = vendor;
  else observation.vendor = vendor;
  return observation;
};

/** Why the endpoint could not be fetched at all: the chain probe that failed, or a crash. */
function failureOf(endpoint: SubcheckRecord): Failure | undefined {
  if (endpoint.crashed) return { code: 'internal.error', reason: endpoint.crashed.reason };
  const { dns, tcp, tls, http } = endpoint.observations;
  return dns?.failure ?? tcp?.failure ?? tls?.failure ?? http?.failure;
}
