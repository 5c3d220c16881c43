/**
 * Google Cloud (`status.cloud.google.com/incidents.json`): every incident, newest first; the open
 * ones have no `end`. `status_impact` is SERVICE_OUTAGE, SERVICE_DISRUPTION or SERVICE_INFORMATION.
 * The feed (and Google Workspace's) is every product in every region (see feed.ts): an incident
 * ranks minor at most.
 */
import { regionalFeed } from './feed.js';
import { list, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const IMPACT = words<VendorIndicator>({ SERVICE_OUTAGE: 'major', SERVICE_DISRUPTION: 'minor', SERVICE_INFORMATION: 'none' });
const SEVERITY = words<VendorIndicator>({ high: 'major', medium: 'minor', low: 'minor' });

export const parseGcp: VendorParser = (body) => {
  if (!Array.isArray(body)) return 'not a Google Cloud incidents list (expected a JSON array)';
  if (body.length > 0 && objects(body).length === 0) return 'not a Google Cloud incidents list (no incident objects in the array)';
  let indicator: VendorIndicator = 'none';
  const open = objects(body).filter((i) => (i.end === undefined || i.end === null || i.end === '') && text(i.begin) !== undefined);
  const components = new Map<string, string>();
  const incidents = open.map((i) => {
    const impact = text(i.status_impact) ?? text(obj(i.most_recent_update)?.status) ?? '';
    indicator = worseIndicator(indicator, IMPACT[impact] ?? SEVERITY[text(i.severity) ?? ''] ?? 'minor');
    for (const p of objects(i.affected_products)) components.set(text(p.title) ?? '?', impact.toLowerCase() || 'affected');
    const uri = text(i.uri);
    return {
      name: text(i.external_desc)?.split('\n')[0] ?? 'unnamed incident',
      impact,
      status: text(obj(i.most_recent_update)?.status),
      url: uri ? new URL(uri, 'https://status.cloud.google.com/').toString() : undefined,
      update: text(obj(i.most_recent_update)?.text) ?? text(obj(list(i.updates)[0])?.text),
    };
  });
  return { kind: 'gcp', indicator: regionalFeed(indicator), incidents, components: [...components].map(([name, status]) => ({ name, status })) };
};
