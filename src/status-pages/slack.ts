/**
 * Slack (`slack-status.com/api/v2.0.0/current`): `status` is `ok` or `active`; each active
 * incident has a `type` of outage, incident or notice. Quirk: `active_incidents` may be missing
 * altogether when the status is `ok`.
 */
import { latest, list, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const SEVERITY = words<VendorIndicator>({ outage: 'major', incident: 'minor', notice: 'none', maintenance: 'maintenance' });
/** Items that are over (resolved, completed, cancelled) or not begun (scheduled) are not active. */
const NOT_ACTIVE = new Set(['resolved', 'completed', 'cancelled', 'scheduled']);

export const parseSlack: VendorParser = (body) => {
  const root = obj(body);
  const status = text(root?.status);
  if (!root || (status !== 'ok' && status !== 'active')) return 'not a Slack status body (status is neither "ok" nor "active")';
  let indicator: VendorIndicator = 'none';
  const active = objects(root.active_incidents).filter((i) => !NOT_ACTIVE.has(text(i.status)?.toLowerCase() ?? ''));
  const incidents = active.map((i) => {
    const type = text(i.type) ?? 'incident';
    indicator = worseIndicator(indicator, SEVERITY[type] ?? 'minor');
    const notes = list(i.notes);
    const update = text(obj(notes[notes.length - 1])?.body);
    return { name: text(i.title) ?? 'unnamed incident', impact: type, status: text(i.status), url: text(i.url), ...(update ? { update } : {}) };
  });
  // "active" with no incident listed still means Slack says something is wrong.
  if (status === 'active' && incidents.length === 0) indicator = 'minor';
  const components = [...new Set(active.flatMap((i) => list(i.services).map(text)))]
    .filter((s): s is string => s !== undefined)
    .map((name) => ({ name, status: 'affected' }));
  const updatedAt = latest(root.date_updated, ...active.map((i) => i.date_updated));
  return { kind: 'slack', indicator, description: status === 'ok' ? 'ok' : 'active incidents', incidents, components, ...(updatedAt ? { updatedAt } : {}) };
};
