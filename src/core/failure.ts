/**
 * Failure codes: the stable vocabulary of what went wrong with a target. Probes produce them,
 * judging and every output carry them, and users match on them in alerts and scripts — so they
 * are defined once, at the bottom, and never renamed.
 */
export const FAILURE_CODES = [
  'dns.nxdomain',
  'dns.servfail',
  'dns.refused',
  'dns.timeout',
  'dns.nodata',
  'dns.unexpected',
  'dns.blocked',
  'tcp.refused',
  'tcp.timeout',
  'tcp.reset',
  'tcp.unreachable',
  'tls.expired',
  'tls.not_yet_valid',
  'tls.hostname_mismatch',
  'tls.untrusted',
  'tls.handshake_timeout',
  'tls.handshake_failed',
  'tls.expiring',
  'http.status',
  'http.timeout',
  'http.body_timeout',
  'http.reset',
  'http.protocol',
  'http.too_many_redirects',
  'http.body_mismatch',
  'http.slow',
  'status.unavailable',
  'status.unrecognized',
  'vendor.incident',
  'network.local',
  'interrupted',
  'internal.error',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Why a probe could not complete: a stable code and a sentence for humans. */
export interface Failure {
  code: FailureCode;
  reason: string;
}

/** `dns.nxdomain` → `nxdomain`, `http.too_many_redirects` → `too many redirects`: for narrow columns. */
export function shortCode(code: string | null): string | undefined {
  return code?.split('.')[1]?.replace(/_/g, ' ');
}
