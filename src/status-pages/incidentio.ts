/**
 * incident.io status pages (`/api/v1/summary`): ongoing incidents with a current worst impact
 * (degraded_performance, partial_outage, full_outage), and maintenances in progress.
 */
import { latest, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const IMPACT = words<VendorIndicator>({ degraded_performance: 'minor', partial_outage: 'minor', full_outage: 'major' });

export const parseIncidentIo: VendorParser = (body) => {
  const root = obj(body);
  if (!root || !('ongoing_incidents' in root || 'in_progress_maintenances' in root)) {
    return 'not an incident.io summary (no ongoing_incidents)';
  }
  let indicator: VendorIndicator = 'none';
  const components = new Map<string, string>();
  const incidents = objects(root.ongoing_incidents).map((i) => {
    const impact = text(i.current_worst_impact) ?? 'degraded_performance';
    indicator = worseIndicator(indicator, IMPACT[impact] ?? 'minor');
    for (const c of objects(i.affected_components)) components.set(text(c.name) ?? '?', impact);
    return { name: text(i.name) ?? 'unnamed incident', impact, status: text(i.status), url: text(i.url), update: text(i.last_update_message) };
  });
  for (const m of objects(root.in_progress_maintenances)) {
    indicator = worseIndicator(indicator, 'maintenance');
    incidents.push({ name: text(m.name) ?? 'maintenance', impact: 'maintenance', status: text(m.status), url: text(m.url), update: text(m.last_update_message) });
  }
  const updatedAt = latest(...[...objects(root.ongoing_incidents), ...objects(root.in_progress_maintenances)].map((i) => i.last_update_at));
  return {
    kind: 'incidentio',
    ...(updatedAt ? { updatedAt } : {}),
    indicator,
    // page_title is the page's name, not a headline about its state: no description.
    incidents,
    components: [...components].map(([name, status]) => ({ name, status })),
  };
};
