/**
 * Instatus (`/summary.json`): `page.status` is UP, HASISSUES or UNDERMAINTENANCE; active incidents
 * carry an impact (PARTIALOUTAGE, MINOROUTAGE, MAJOROUTAGE, …).
 */
import { latest, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const PAGE = words<VendorIndicator>({ UP: 'none', HASISSUES: 'minor', UNDERMAINTENANCE: 'maintenance' });
const IMPACT = words<VendorIndicator>({ OPERATIONAL: 'none', DEGRADEDPERFORMANCE: 'minor', PARTIALOUTAGE: 'minor', MINOROUTAGE: 'minor', MAJOROUTAGE: 'major' });

export const parseInstatus: VendorParser = (body) => {
  const page = obj(obj(body)?.page);
  const status = text(page?.status)?.toUpperCase();
  if (!page || !status || !(status in PAGE)) return 'not an Instatus summary (page.status is not UP, HASISSUES or UNDERMAINTENANCE)';
  let indicator = PAGE[status] ?? 'none';
  const root = obj(body) ?? {};
  const incidents = objects(root.activeIncidents)
    .filter((i) => text(i.status)?.toUpperCase() !== 'RESOLVED')
    .map((i) => {
      const impact = text(i.impact)?.toUpperCase() ?? 'PARTIALOUTAGE';
      indicator = worseIndicator(indicator, IMPACT[impact] ?? 'minor');
      return { name: text(i.name) ?? 'unnamed incident', impact, status: text(i.status), url: text(i.url) };
    });
  for (const m of objects(root.activeMaintenances).filter((m) => text(m.status)?.toUpperCase() === 'INPROGRESS')) {
    indicator = worseIndicator(indicator, 'maintenance');
    incidents.push({ name: text(m.name) ?? 'maintenance', impact: 'maintenance', status: text(m.status), url: text(m.url) });
  }
  // page.name is the page's title, not a headline about its state: no description.
  const updatedAt = latest(...[...objects(root.activeIncidents), ...objects(root.activeMaintenances)].map((i) => i.updatedAt ?? i.started));
  return { kind: 'instatus', indicator, incidents, components: [], ...(updatedAt ? { updatedAt } : {}) };
};
