/** What the proxy probe adds to the report and to each output. */
import { formatDuration } from '../../core/duration.js';
import type { Judgement } from '../../core/result.js';
import { roundMs } from '../../core/round.js';
import type { ProbeResultOf } from '../result.js';
import type { ProxyDetails, ProxyObservation } from './observation.js';

export function judgeProxy(observation: ProxyObservation): Judgement {
  const via = `proxy ${observation.address ?? observation.proxy} (${observation.from})`;
  const name = observation.resolvedByProxy ? `; the proxy resolves ${observation.resolvedByProxy}` : '';
  const reason = observation.mode === 'tunnel' ? `tunnel to ${observation.target} through ${via}${name}` : `connected to ${via}, which forwards to ${observation.target}${name}`;
  return { status: 'up', code: null, reason };
}

export function proxyDetails(observation: ProxyObservation): ProxyDetails {
  const { kind: _kind, durationMs: _duration, failure: _failure, attempts, lookupMs, connectMs, tunnelMs, ...rest } = observation;
  const ms = (value: number | undefined) => (value === undefined ? undefined : roundMs(value));
  return {
    ...rest,
    ...(lookupMs !== undefined ? { lookupMs: ms(lookupMs) } : {}),
    ...(connectMs !== undefined ? { connectMs: ms(connectMs) } : {}),
    ...(tunnelMs !== undefined ? { tunnelMs: ms(tunnelMs) } : {}),
    attempts: attempts.map((a) => ({ ...a, durationMs: roundMs(a.durationMs) })),
  };
}

export function proxyVerbose(result: ProbeResultOf<'proxy'>): string[] {
  const d = result.details;
  if (!d.proxy) return [];
  const phases = [
    d.lookupMs !== undefined ? `lookup ${formatDuration(d.lookupMs)}` : undefined,
    d.connectMs !== undefined ? `connect ${formatDuration(d.connectMs)}` : undefined,
    d.mode === 'tunnel' && d.answer !== undefined ? `CONNECT ${d.target} → ${d.answer}${d.tunnelMs !== undefined ? ` in ${formatDuration(d.tunnelMs)}` : ''}` : undefined,
  ].filter((p): p is string => p !== undefined);
  const lines = [`proxy ${d.proxy} from ${d.from}${d.address && d.address !== d.proxy.replace('http://', '') ? ` at ${d.address}` : ''}${phases.length ? ` · ${phases.join(' · ')}` : ''}`];
  if (d.resolvedByProxy) lines.push(`name: ${d.resolvedByProxy} is resolved by the proxy (no local lookup)`);
  return lines;
}
