/** What the DNS probe adds to the report and to each output. */
import { formatDuration } from '../../core/duration.js';
import { shortCode } from '../../core/failure.js';
import { roundMs } from '../../core/round.js';
import { isUnspecifiedAddress } from '../../net/address-resolution.js';
import type { ProbeFacts } from '../kind.js';
import type { ProbeResultOf } from '../result.js';
import type { DnsDetails, DnsObservation } from './observation.js';

export function dnsDetails(observation: DnsObservation): DnsDetails {
  const { name, resolvers, source, records, cnameChain, nameServers, partialFailures, byResolver, pending } = observation;
  return {
    name,
    resolvers,
    source,
    records,
    cnameChain,
    ...(nameServers ? { nameServers } : {}),
    ...(partialFailures.length ? { partialFailures } : {}),
    ...(pending?.length ? { pending } : {}),
    ...(byResolver ? { byResolver: byResolver.map((a) => ({ ...a, durationMs: roundMs(a.durationMs) })) } : {}),
  };
}

export function dnsFacts(result: ProbeResultOf<'dns'>): ProbeFacts {
  const d = result.details;
  const target = d.cnameChain?.at(-1);
  return {
    addresses: (d.records ?? []).filter((r) => (r.type === 'A' || r.type === 'AAAA') && !isUnspecifiedAddress(r.value)).map((r) => r.value),
    ...(target ? { cnameTarget: target } : {}),
    nameServers: d.nameServers ?? [],
    resolvers: Array.isArray(d.resolvers) ? d.resolvers.join(',') : 'system',
    lookupMs: result.durationMs,
  };
}

/** The table's DNS column: the lookup time, or what failed. */
export function dnsCell(result: ProbeResultOf<'dns'>): string {
  return result.status === 'up' ? formatDuration(result.durationMs) : (shortCode(result.code) ?? result.status);
}

export function dnsVerbose(result: ProbeResultOf<'dns'>): string[] {
  const d = result.details;
  const lines: string[] = [];
  const records = d.records ?? [];
  const chain = d.cnameChain ?? [];
  if (records.length) lines.push(`answers: ${records.map((r) => `${r.type} ${r.value}${r.ttl !== undefined ? ` ttl=${r.ttl}` : ''}`).join(', ')}`);
  if (chain.length) lines.push(`cname: ${[d.name, ...chain].join(' → ')}`);
  if (d.pending?.length) lines.push(`${d.pending.join(', ')}: no answer yet when connecting began (not judged)`);
  const servers = d.nameServers ?? [];
  if (servers.length) lines.push(`name servers: ${servers.join(', ')}`);
  lines.push(`resolver: ${Array.isArray(d.resolvers) ? d.resolvers.join(', ') : `system${d.source === 'hosts' ? ' (/etc/hosts)' : ''}`}`);
  for (const a of d.byResolver ?? []) {
    lines.push(`  ${a.resolver}: ${a.failure ? `${a.failure.code} — ${a.failure.reason}` : (a.values ?? []).join(', ') || 'no records'} (${formatDuration(a.durationMs)})`);
  }
  return lines;
}

