/**
 * Feeds of a whole cloud — AWS Health, Google Cloud, Google Workspace — list every product in every
 * region, and some event is nearly always open somewhere: AWS kept region-wide disruptions in
 * me-central-1 and me-south-1 open for months. Read as the vendor's major outage, one would make
 * the service measured up degraded for everyone, everywhere (the default `aws` entry included).
 * The feed cannot say an event concerns the service measured, so its events are shown beside the
 * measurement — the vendor's words, the impact in `-v` and JSON — and rank minor at most: never
 * judged. What was measured decides.
 */
import type { VendorIndicator } from '../core/vendor-status.js';

export function regionalFeed(indicator: VendorIndicator): VendorIndicator {
  return indicator === 'major' || indicator === 'critical' ? 'minor' : indicator;
}
