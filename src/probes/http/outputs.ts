/** What the HTTP probe adds to the report and to each output. */
import { formatDuration } from '../../core/duration.js';
import { shortCode } from '../../core/failure.js';
import type { PhaseTimings } from '../../core/result.js';
import { roundMs } from '../../core/round.js';
import type { ProbeFacts } from '../kind.js';
import type { ProbeResultOf } from '../result.js';
import type { HttpDetails, HttpObservation } from './observation.js';

export function httpDetails(observation: HttpObservation): HttpDetails {
  const { status, httpVersion, url, hops, bodyBytes, bodyTruncated, contentType } = observation;
  return { status, ...(httpVersion !== undefined ? { httpVersion } : {}), url, hops: hops.map((h) => ({ ...h, durationMs: roundMs(h.durationMs) })), bodyBytes, bodyTruncated, contentType };
}

export function httpFacts(result: ProbeResultOf<'http'>): ProbeFacts {
  const status = result.details.status;
  return {
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(result.timings ? { latencyMs: result.timings.total, phases: result.timings } : {}),
  };
}

/** The table's HTTP column: status and time whenever a response arrived (even a 503), else the code. */
export function httpCell(result: ProbeResultOf<'http'>): string {
  const status = result.details.status;
  if (typeof status !== 'number') return shortCode(result.code) ?? result.status;
  return `${status} · ${formatDuration(result.timings?.total ?? result.durationMs)}`;
}

export function httpVerbose(result: ProbeResultOf<'http'>): string[] {
  const d = result.details;
  const lines: string[] = [];
  if (result.timings) lines.push(`timings: ${formatTimings(result.timings)}`);
  const hops = d.hops ?? [];
  if (hops.length > 1) lines.push(`redirects: ${hops.map((h) => `${h.status ?? '…'} ${h.url}`).join(' → ')}`);
  if (typeof d.bodyBytes === 'number') lines.push(`body: ${d.bodyBytes} bytes${d.bodyTruncated ? ' (read the first MiB only)' : ''}${d.contentType ? ` · ${d.contentType}` : ''}`);
  return lines;
}

/** The stall that report.ts warns about: below it, outage's own busy time is not worth a word in `-v`. */
const NOTABLE_BUSY_MS = 100;

function formatTimings(t: PhaseTimings): string {
  const phases: [string, number | undefined][] = [['dns', t.dns], ['connect', t.connect], ['tunnel', t.tunnel], ['tls', t.tls], ['ttfb', t.ttfb], ['transfer', t.transfer], ['total', t.total]];
  // outage's own busy time is named only when it is a stall's worth and a real share of the total
  // (an attempt's own few milliseconds of work would be noise on every line); JSON always has it.
  if (t.ownBusy !== undefined && t.ownBusy >= NOTABLE_BUSY_MS && t.ownBusy >= t.total / 10) phases.push(['of it outage busy up to', Math.min(t.ownBusy, t.total)]);
  return phases.flatMap(([k, v]) => (v === undefined ? [] : [`${k} ${formatDuration(v)}`])).join(' · ');
}
