/** The status-page probe kind: what the vendor declares, beside what was measured. */
import type { ProbeKindModule } from '../kind.js';
import { judgeStatusPage } from './judge.js';
import { applyVendorPolicy } from './policy.js';
import { probeStatus } from './probe.js';

export const statusPageKind: ProbeKindModule<'status'> = {
  kind: 'status',
  layer: 'vendor',
  runsFor: (service) => service.status !== undefined,
  side: true,
  failedStatus: 'unknown',
  probe: probeStatus,
  timeoutCode: 'status.unavailable',
  timedOut: (service, failure, durationMs) => ({ kind: 'status', url: service.status?.url ?? '', durationMs, failure }),
  judge: judgeStatusPage,
  details: (observation) => {
    const address = observation.endpoint?.observations.tcp?.address;
    const httpStatus = observation.endpoint?.observations.http?.status;
    return { url: observation.url, ...(address ? { address } : {}), ...(httpStatus !== undefined ? { httpStatus } : {}), ...(observation.vendor ? { vendor: observation.vendor } : {}) };
  },
  facts: (result) => (result.details.address ? { subcheckAddress: result.details.address } : {}),
  verbose: (result) => {
    const vendor = result.details.vendor;
    return [
      `from ${result.details.url}`,
      ...(vendor?.incidents ?? []).map((i) => `incident: ${i.name}${i.impact ? ` [${i.impact}]` : ''}${i.url ? ` ${i.url}` : ''}${i.update ? ` — ${i.update}` : ''}`),
      ...(vendor?.components ?? []).map((c) => `component: ${c.name} ${c.status}`),
    ];
  },
  adjust: applyVendorPolicy,
};
