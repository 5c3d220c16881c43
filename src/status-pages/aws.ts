/**
 * AWS Health (`health.aws.amazon.com/public/currentevents`): a JSON array of current events, served
 * as UTF-16 big-endian with a byte-order mark (decoded by the body reader's BOM sniffing). Each
 * event's `status` is "1" informational, "2" degradation or "3" disruption; an empty array is calm.
 * The feed is every AWS service in every region (see feed.ts): an event ranks minor at most.
 */
import { regionalFeed } from './feed.js';
import { list, obj, objects, text, words } from './json.js';
import { worseIndicator, type VendorIndicator, type VendorParser } from '../core/vendor-status.js';

const SEVERITY = words<VendorIndicator>({ '0': 'none', '1': 'minor', '2': 'minor', '3': 'major' });

export const parseAws: VendorParser = (body) => {
  if (!Array.isArray(body)) return 'not an AWS Health event list (expected a JSON array)';
  if (body.length > 0 && objects(body).length === 0) return 'not an AWS Health event list (no event objects in the array)';
  let indicator: VendorIndicator = 'none';
  const components = new Map<string, string>();
  const incidents = objects(body).map((e) => {
    const status = text(e.status) ?? '1';
    indicator = worseIndicator(indicator, SEVERITY[status] ?? 'minor');
    const service = text(e.service_name) ?? text(e.service);
    if (service) components.set(service, status === '3' ? 'disruption' : status === '2' ? 'degradation' : 'informational');
    const log = list(e.event_log);
    return {
      name: text(e.summary) ?? `${service ?? 'AWS'} event`,
      impact: status,
      status: text(e.region_name),
      update: text(obj(log[log.length - 1])?.message),
    };
  });
  return { kind: 'aws', indicator: regionalFeed(indicator), incidents, components: [...components].map(([name, status]) => ({ name, status })) };
};
