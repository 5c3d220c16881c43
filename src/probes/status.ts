/**
 * Status probe: what the vendor itself declares, read from its status API. The endpoint is fetched
 * as a subcheck (so a failing status page is classified as precisely as any service), then parsed by
 * the product's parser (vendor/registry.ts). A status endpoint that fails is the status probe's
 * failure only: it is judged `unknown`, never the service `down`.
 */
import { parseVendorStatus } from '../vendor/registry.js';
import type { Probe, StatusObservation } from './types.js';

export const probeStatus: Probe<'status'> = async (service, context) => {
  const started = performance.now();
  const spec = service.status;
  if (!spec) throw new Error(`service ${service.name} has no status endpoint`);
  const observation: StatusObservation = { kind: 'status', url: spec.url, durationMs: 0 };
  const outcome = await context.subcheck(spec.check);
  const http = outcome.observations.http;
  observation.durationMs = performance.now() - started;
  if (outcome.status === 'down' || outcome.status === 'unknown' || http?.kind !== 'http' || http.body === undefined) {
    observation.failure = { code: 'status.unavailable', reason: `status endpoint ${spec.url}: ${outcome.code ?? outcome.status} — ${outcome.reason}` };
    return observation;
  }
  if (http.bodyTruncated) {
    observation.failure = { code: 'status.unrecognized', reason: `status endpoint ${spec.url}: body larger than ${http.bodyBytes} bytes` };
    return observation;
  }
  let body: unknown;
  try {
    body = JSON.parse(http.body);
  } catch {
    observation.failure = { code: 'status.unrecognized', reason: `status endpoint ${spec.url}: not JSON (${http.contentType ?? 'no content type'})` };
    return observation;
  }
  const vendor = parseVendorStatus(body, spec.kind);
  if (typeof vendor === 'string') observation.failure = { code: 'status.unrecognized', reason: `status endpoint ${spec.url}: ${vendor}` };
  else observation.vendor = vendor;
  return observation;
};
