/**
 * Judging what a status page says: the vendor's own word, on the same scale as measurements — a
 * major or critical outage is `down`, a minor incident or maintenance `degraded`. How much that
 * moves the service is the vendor policy (policy.ts). A page that cannot be read is `unknown`.
 */
import { vendorWords } from '../../core/vendor-status.js';
import type { Judgement } from '../../core/result.js';
import type { ServiceSpec } from '../../config/service.js';
import type { JudgeContext } from '../kind.js';
import type { StatusObservation } from './observation.js';

export function judgeStatusPage(observation: StatusObservation, service: ServiceSpec, context: JudgeContext): Judgement {
  const { url, endpoint } = observation;
  const check = service.status?.check;
  const fetched = endpoint && check ? context.judgeSubcheck(endpoint, check) : undefined;
  if (!fetched || fetched.status === 'down' || fetched.status === 'unknown' || endpoint?.observations.http?.body === undefined) {
    return { status: 'unknown', code: 'status.unavailable', reason: `status endpoint ${url}: ${fetched?.code ?? fetched?.status ?? 'unknown'} — ${fetched?.reason ?? 'not fetched'}` };
  }
  if (observation.unreadable !== undefined) return { status: 'unknown', code: 'status.unrecognized', reason: `status endpoint ${url}: ${observation.unreadable}` };
  const vendor = observation.vendor;
  if (!vendor) return { status: 'unknown', code: 'status.unrecognized', reason: 'no vendor status' };
  const reason = `vendor: ${vendorWords(vendor)}`;
  if (vendor.indicator === 'none') return { status: 'up', code: null, reason };
  const status = vendor.indicator === 'major' || vendor.indicator === 'critical' ? 'down' : 'degraded';
  return { status, code: 'vendor.incident', reason };
}
