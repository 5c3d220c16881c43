/**
 * Atlassian Statuspage v2 (`/api/v2/summary.json`): GitHub, Discord, Reddit, Atlassian, Dropbox,
 * Twilio, Datadog, Zoom, OpenAI, npm, Docker… The summary's `incidents` are the unresolved ones.
 * Quirk: the page `indicator` can say `none` while an incident is open (it follows components,
 * which the vendor may not have touched yet), so the open incidents' impact raises it.
 */
import { latest, list, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const INDICATORS = new Set<VendorIndicator>(['none', 'minor', 'major', 'critical', 'maintenance']);
const COMPONENT_SEVERITY = words<VendorIndicator>({
  degraded_performance: 'minor',
  partial_outage: 'minor',
  major_outage: 'major',
  under_maintenance: 'maintenance',
});

export const parseStatuspage: VendorParser = (body) => {
  const root = obj(body);
  const raw = obj(root?.status)?.indicator;
  const declared = text(raw);
  if (!root || ((raw === undefined || raw === null) && !Array.isArray(root.incidents))) return 'not a Statuspage summary (no status.indicator or incidents)';
  const known = declared !== undefined && INDICATORS.has(declared as VendorIndicator);
  let indicator: VendorIndicator = known ? (declared as VendorIndicator) : 'none';

  const open = objects(root.incidents).filter((i) => text(i.status) !== 'resolved' && text(i.status) !== 'postmortem');
  const incidents = open.map((i) => {
    const impact = text(i.impact) ?? 'none';
    indicator = worseIndicator(indicator, INDICATORS.has(impact as VendorIndicator) && impact !== 'none' ? (impact as VendorIndicator) : 'minor');
    const update = text(obj(list(i.incident_updates)[0])?.body);
    return { name: text(i.name) ?? 'unnamed incident', impact, status: text(i.status), url: text(i.shortlink), ...(update ? { update } : {}) };
  });
  const maintenances = objects(root.scheduled_maintenances).filter((m) => text(m.status) === 'in_progress' || text(m.status) === 'verifying');
  for (const m of maintenances) {
    indicator = worseIndicator(indicator, 'maintenance');
    incidents.push({ name: text(m.name) ?? 'maintenance', impact: 'maintenance', status: text(m.status), url: text(m.shortlink) });
  }
  const broken = objects(root.components).filter((c) => text(c.status) !== 'operational');
  const components = broken.map((c) => ({ name: text(c.name) ?? '?', status: text(c.status) ?? 'unknown' }));
  // A component in a status outage cannot rank is still one the vendor says is not operational.
  for (const c of components) indicator = worseIndicator(indicator, COMPONENT_SEVERITY[c.status] ?? 'minor');
  // A page-level word outage does not know, with nothing else to read, is not "operational".
  if (raw !== undefined && raw !== null && !known && incidents.length === 0 && components.length === 0) {
    return `status.indicator "${declared ?? JSON.stringify(raw)}" is not one outage knows (none, minor, major, critical, maintenance)`;
  }
  // The page's date, and those of what it claims: a fresh incident keeps an old page current.
  const updatedAt = latest(obj(root.page)?.updated_at, ...[...open, ...maintenances, ...broken].map((x) => x.updated_at));
  return { kind: 'statuspage', indicator, description: text(obj(root.status)?.description), incidents, components, ...(updatedAt ? { updatedAt } : {}) };
};
