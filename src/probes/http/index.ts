/** The HTTP probe kind: one request over the attempt's connection, redirects followed. */
import { roundAllMs, roundMs } from '../../core/round.js';
import type { ProbeKindModule } from '../kind.js';
import { judgeHttp } from './judge.js';
import { httpCell, httpDetails, httpFacts, httpVerbose } from './outputs.js';
import { probeHttp } from './probe.js';

export const httpKind: ProbeKindModule<'http'> = {
  kind: 'http',
  layer: 'application',
  runsFor: (service) => service.http !== undefined,
  probe: probeHttp,
  timeoutCode: 'http.timeout',
  timedOut: (service, failure, durationMs) => ({ kind: 'http', url: service.target, hops: [], timings: { total: durationMs }, bodyBytes: 0, bodyTruncated: false, durationMs, failure }),
  judge: judgeHttp,
  details: httpDetails,
  // With outage's own busy time beside them, so a reader can tell its delay from the target's.
  timings: (observation) => ({ ...roundAllMs(observation.timings), ...(observation.ownBusyMs !== undefined ? { ownBusy: roundMs(observation.ownBusyMs) } : {}) }),
  facts: httpFacts,
  column: { title: 'HTTP', text: httpCell },
  verbose: httpVerbose,
};
