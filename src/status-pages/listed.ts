/**
 * A page may list thousands of open incidents or components (a hostile or broken one, within the
 * 16 MiB body cap): each would appear in JSON twice and in -v once. The first few are kept, in the
 * page's order, and the rest counted: "(+4999 more)" still says how many the vendor listed.
 */
import type { VendorStatus } from '../core/vendor-status.js';

export const MAX_LISTED = 20;

export function listed(status: VendorStatus): VendorStatus {
  const { incidents, components } = status;
  if (incidents.length <= MAX_LISTED && components.length <= MAX_LISTED) return status;
  return {
    ...status,
    incidents: incidents.slice(0, MAX_LISTED),
    components: components.slice(0, MAX_LISTED),
    ...(incidents.length > MAX_LISTED ? { moreIncidents: incidents.length - MAX_LISTED } : {}),
    ...(components.length > MAX_LISTED ? { moreComponents: components.length - MAX_LISTED } : {}),
  };
}
