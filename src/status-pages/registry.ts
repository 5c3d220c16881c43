/**
 * The one place that knows every status-page product: which parser reads a kind, how a kind is
 * recognised from a URL, and — when the URL says nothing — from the body's shape.
 */
import { parseAws } from './aws.js';
import { withFreshness } from './freshness.js';
import { listed } from './listed.js';
import { parseGcp } from './gcp.js';
import { parseIncidentIo } from './incidentio.js';
import { parseInstatus } from './instatus.js';
import { obj } from './json.js';
import { parseSlack } from './slack.js';
import { parseStatuspage } from './statuspage.js';
import type { StatusKind, VendorParser, VendorStatus } from '../core/vendor-status.js';

export const STATUS_PARSERS: Record<StatusKind, VendorParser> = {
  statuspage: parseStatuspage,
  slack: parseSlack,
  incidentio: parseIncidentIo,
  instatus: parseInstatus,
  gcp: parseGcp,
  aws: parseAws,
};

/** The kind a status URL names by its well-known host or path; undefined when it does not. */
export function kindFromUrl(url: URL): StatusKind | undefined {
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/\/+$/, '');
  if (host === 'slack-status.com' || host === 'status.slack.com' || path.endsWith('/api/v2.0.0/current')) return 'slack';
  if (host === 'health.aws.amazon.com' || path.endsWith('/public/currentevents')) return 'aws';
  // Statuspage's other v2 endpoints (incidents.json, incidents/unresolved.json) before Google's incidents.json.
  if (/\/api\/v2\/(summary|status|incidents|incidents\/unresolved)\.json$/.test(path)) return 'statuspage';
  if (host === 'status.cloud.google.com' || path.endsWith('/incidents.json')) return 'gcp';
  if (path.endsWith('/api/v1/summary')) return 'incidentio';
  if (path.endsWith('/summary.json')) return 'instatus';
  return undefined;
}

/** Recognise a body by its shape, for a status URL that does not say what it is. */
export function kindFromBody(body: unknown): StatusKind | undefined {
  const root = obj(body);
  if (Array.isArray(body)) {
    // An empty list is calm in either product; a list of anything else is no status page at all.
    if (body.length === 0) return 'aws';
    const first = obj(body[0]);
    if (first && ('external_desc' in first || 'affected_products' in first)) return 'gcp';
    return first && ('event_log' in first || 'service_name' in first || 'region_name' in first) ? 'aws' : undefined;
  }
  if (!root) return undefined;
  if (obj(root.status)?.indicator !== undefined) return 'statuspage';
  // Statuspage's incidents.json and incidents/unresolved.json: the page and its incidents, no status.
  if (obj(root.page) && Array.isArray(root.incidents)) return 'statuspage';
  if ('ongoing_incidents' in root) return 'incidentio';
  if (obj(root.page)?.status !== undefined) return 'instatus';
  if (root.status === 'ok' || root.status === 'active') return 'slack';
  return undefined;
}

/** What the vendor says, as of `now`: a claimed outage not updated for a week is stale (freshness.ts). */
export function parseVendorStatus(body: unknown, kind: StatusKind | undefined, now = Date.now()): VendorStatus | string {
  const chosen = kind ?? kindFromBody(body);
  if (!chosen) return 'not a status page format outage knows (Statuspage, Slack, incident.io, Instatus, Google Cloud, AWS Health)';
  const status = STATUS_PARSERS[chosen](body);
  return typeof status === 'string' ? status : listed(withFreshness(status, now));
}
