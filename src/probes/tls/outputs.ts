/** What the TLS probe adds to the report and to each output. */
import { shortCode } from '../../core/failure.js';
import type { ProbeFacts } from '../kind.js';
import type { ProbeResultOf } from '../result.js';
import type { TlsDetails, TlsObservation } from './observation.js';

export function tlsDetails(observation: TlsObservation): TlsDetails {
  const { protocol, cipher, alpn, authorized, authorizationError, earliest, chain, presented } = observation;
  // What the server sent matters when it differs from the verified chain (an extra
  // cross-signed root, a missing intermediate). Usually it is the chain minus the root.
  const same = presented.length <= chain.length && presented.every((c, i) => c.fingerprint256 === chain[i]?.fingerprint256);
  return {
    protocol,
    cipher,
    alpn,
    authorized,
    authorizationError,
    daysLeft: earliest?.daysLeft,
    earliest: earliest && { subject: earliest.subject, validTo: earliest.validTo },
    chain,
    ...(same ? {} : { presented }),
  };
}

export function tlsFacts(result: ProbeResultOf<'tls'>): ProbeFacts {
  const d = result.details;
  const issuer = d.chain?.[0]?.issuer;
  return {
    ...(issuer ? { certificateIssuer: issuer } : {}),
    ...(d.daysLeft !== undefined ? { certificateDaysLeft: d.daysLeft } : {}),
    ...(d.earliest?.validTo ? { certificateExpiresAt: d.earliest.validTo } : {}),
  };
}

/** The table's TLS column: days left, or what failed. */
export function tlsCell(result: ProbeResultOf<'tls'>): string {
  const days = result.details.daysLeft;
  if (result.code && result.code !== 'tls.expiring') return shortCode(result.code) ?? '';
  return typeof days === 'number' ? `${Math.floor(days)}d` : 'ok';
}

export function tlsVerbose(result: ProbeResultOf<'tls'>): string[] {
  const d = result.details;
  const lines: string[] = [];
  if (d.protocol) lines.push(`${d.protocol} ${d.cipher ?? ''}${d.alpn ? ` · ALPN ${d.alpn}` : ''}${d.authorizationError ? ` · ${d.authorizationError}` : ''}`);
  const chain = d.chain ?? [];
  if (chain.length) lines.push(`chain: ${chain.map((c) => `${c.subject} (${Math.floor(c.daysLeft)}d, to ${c.validTo.slice(0, 10)})`).join(' ← ')}`);
  return lines;
}
