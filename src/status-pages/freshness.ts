/**
 * A claimed outage is the vendor's word only while the vendor keeps it current. A real major
 * outage is updated every hour or so; an incident left open and untouched for a week (forgotten,
 * or a stale copy served by a cache) would make a service measured up degraded for as long as it
 * stays. Such a claim is shown with its date ("not updated since 2019-01-01"), ranked minor: never
 * judged. A page that gives no date is taken as it stands.
 */
import type { VendorStatus } from '../core/vendor-status.js';

export const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export function withFreshness(status: VendorStatus, now: number): VendorStatus {
  if (status.updatedAt === undefined || (status.indicator !== 'major' && status.indicator !== 'critical')) return status;
  if (now - Date.parse(status.updatedAt) <= STALE_AFTER_MS) return status;
  return { ...status, indicator: 'minor', stale: true };
}
