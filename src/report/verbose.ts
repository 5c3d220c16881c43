/** `-v`: per-probe lines under the table — phase timings, addresses, hops and certificate chains. */
import type { ChalkInstance } from 'chalk';
import type { CertificateInfo, DnsRecord, HostCheck, HttpHop, HttpTimings, ResolverAnswer } from '../probes/types.js';
import type { VendorStatus } from '../vendor/types.js';
import { formatDuration } from '../util/duration.js';
import { paintStatus } from './colors.js';
import { terminalSafe } from './text.js';
import type { ProbeResult, Report } from './types.js';

export function renderVerbose(report: Report, chalk: ChalkInstance): string {
  const blocks = report.services.map((service) => {
    const lines = [`${chalk.bold(terminalSafe(service.name))} ${chalk.dim(terminalSafe(service.target))}`];
    for (const probe of service.probes) {
      const attempts = probe.attempts > 1 ? chalk.dim(` (${probe.attempts} attempts)`) : '';
      lines.push(`  ${probe.kind.padEnd(6)} ${paintStatus(chalk, probe.status).padEnd(12)} ${formatDuration(probe.durationMs).padStart(7)}  ${terminalSafe(probe.reason)}${attempts}`);
      for (const extra of detailLines(probe)) lines.push(`${' '.repeat(10)}${chalk.dim(terminalSafe(extra))}`);
    }
    return lines.join('\n');
  });
  return `\n${blocks.join('\n\n')}\n`;
}

function detailLines(probe: ProbeResult): string[] {
  const d = probe.details;
  const lines: string[] = [];
  switch (probe.kind) {
    case 'dns': {
      const records = (d.records as DnsRecord[] | undefined) ?? [];
      if (records.length) lines.push(`answers: ${records.map((r) => `${r.type} ${r.value}${r.ttl !== undefined ? ` ttl=${r.ttl}` : ''}`).join(', ')}`);
      const chain = (d.cnameChain as string[] | undefined) ?? [];
      if (chain.length) lines.push(`cname: ${[d.name, ...chain].join(' → ')}`);
      const servers = (d.nameServers as string[] | undefined) ?? [];
      if (servers.length) lines.push(`name servers: ${servers.join(', ')}`);
      lines.push(`resolver: ${Array.isArray(d.resolvers) ? d.resolvers.join(', ') : `system${d.source === 'hosts' ? ' (/etc/hosts)' : ''}`}`);
      for (const a of (d.byResolver as ResolverAnswer[] | undefined) ?? []) {
        lines.push(`  ${a.resolver}: ${a.failure ? `${a.failure.code} — ${a.failure.reason}` : (a.values ?? []).join(', ') || 'no records'} (${formatDuration(a.durationMs)})`);
      }
      break;
    }
    case 'tcp': {
      const attempts = (d.attempts as { address: string; durationMs: number; code?: string }[] | undefined) ?? [];
      if (attempts.length > 1) lines.push(`attempts: ${attempts.map((a) => `${a.address} ${a.code ?? 'ok'} ${formatDuration(a.durationMs)}`).join(', ')}`);
      break;
    }
    case 'tls': {
      if (d.protocol) lines.push(`${d.protocol} ${d.cipher ?? ''}${d.alpn ? ` · ALPN ${d.alpn}` : ''}${d.authorizationError ? ` · ${d.authorizationError}` : ''}`);
      const chain = (d.chain as CertificateInfo[] | undefined) ?? [];
      if (chain.length) lines.push(`chain: ${chain.map((c) => `${c.subject} (${Math.floor(c.daysLeft)}d, to ${c.validTo.slice(0, 10)})`).join(' ← ')}`);
      break;
    }
    case 'http': {
      if (probe.timings) lines.push(`timings: ${formatTimings(probe.timings)}`);
      const hops = (d.hops as HttpHop[] | undefined) ?? [];
      if (hops.length > 1) lines.push(`redirects: ${hops.map((h) => `${h.status ?? '…'} ${h.url}`).join(' → ')}`);
      if (typeof d.bodyBytes === 'number') lines.push(`body: ${d.bodyBytes} bytes${d.bodyTruncated ? ' (read the first MiB only)' : ''}${d.contentType ? ` · ${d.contentType}` : ''}`);
      break;
    }
    case 'hosts':
      for (const h of (d.hosts as HostCheck[] | undefined) ?? []) {
        lines.push(`${h.host} (${h.source === 'page' ? 'asset' : 'host'}): ${h.status}${h.code ? ` ${h.code}` : ''} — ${h.reason}`);
      }
      break;
    case 'status': {
      lines.push(`from ${String(d.url)}`);
      const vendor = d.vendor as VendorStatus | undefined;
      for (const i of vendor?.incidents ?? []) lines.push(`incident: ${i.name}${i.impact ? ` [${i.impact}]` : ''}${i.url ? ` ${i.url}` : ''}${i.update ? ` — ${i.update}` : ''}`);
      for (const c of vendor?.components ?? []) lines.push(`component: ${c.name} ${c.status}`);
      break;
    }
  }
  const first = d.firstFailure as { code: string; reason: string } | undefined;
  if (first) lines.push(`first failure: ${first.code} — ${first.reason}`);
  return lines;
}

function formatTimings(t: HttpTimings): string {
  const phases: [string, number | undefined][] = [['dns', t.dns], ['connect', t.connect], ['tls', t.tls], ['ttfb', t.ttfb], ['transfer', t.transfer], ['total', t.total]];
  return phases.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${formatDuration(v as number)}`).join(' · ');
}
