/**
 * The vendor policy: "measured: up · vendor: major outage — Users may have trouble loading
 * messages". A declared major outage on a service that measured up makes it degraded: the vendor
 * sees what an outside probe cannot (Meta 2024: every page answered 200 while users were logged
 * out). It never makes a service down, and a status page that cannot be read changes nothing.
 */
import { vendorWords } from '../../core/vendor-status.js';
import type { ServiceSpec } from '../../config/service.js';
import type { ProbeResultOf, ServiceResult } from '../result.js';

export function applyVendorPolicy(result: ServiceResult, probe: ProbeResultOf<'status'>, service: ServiceSpec): ServiceResult {
  const vendor = probe.details.vendor;
  const words = vendor ? vendorWords(vendor) : probe.code === 'status.unrecognized' ? 'status page unreadable' : unavailable(probe.details.httpStatus);
  const measured = result.status === 'up' ? 'measured: up' : `measured: ${result.status} — ${result.reason}`;
  const declared = probe.status === 'down' && result.status === 'up';
  return {
    ...result,
    status: declared ? 'degraded' : result.status,
    code: declared ? 'vendor.incident' : result.code,
    reason: `${measured} · vendor: ${words}`,
    vendor: { url: service.status?.url ?? '', indicator: vendor?.indicator ?? 'unknown', words, code: probe.code, incidents: vendor?.incidents ?? [] },
  };
}

/**
 * Why the vendor's word is missing, when its status page answered with an error: a 429 is this
 * machine asking too often (`outage watch`, a busy exporter), not the vendor's page being down.
 */
function unavailable(httpStatus: number | undefined): string {
  if (httpStatus === 429) return 'status page rate-limited this check (HTTP 429)';
  // A 2xx whose body then failed (cut short, timed out) is no error status to name.
  const error = httpStatus !== undefined && httpStatus > 0 && (httpStatus < 200 || httpStatus > 299);
  return error ? `status page unavailable (HTTP ${httpStatus})` : 'status page unavailable';
}
