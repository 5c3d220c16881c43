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
  'tcp.forbidden',
  'proxy.refused',
  'proxy.timeout',
  'proxy.unreachable',
  'proxy.auth_required',
  'proxy.denied',
  'proxy.dns',
  'proxy.upstream_failed',
  'proxy.protocol',
  'tls.expired',
  'tls.not_yet_valid',
  'tls.hostname_mismatch',
  'tls.untrusted',
  'tls.handshake_timeout',
  'tls.handshake_failed',
  'tls.client_cert_required',
  'tls.expiring',
  'http.status',
  'http.timeout',
  'http.body_timeout',
  'http.reset',
  'http.protocol',
  'http.too_many_redirects',
  'http.bad_redirect',
  'http.body_mismatch',
  'http.slow',
  'status.unavailable',
  'status.unrecognized',
  'vendor.incident',
  'network.local',
  'local.resources',
  'vantage.unreachable',
  'interrupted',
  'internal.error',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Why a probe could not complete: a stable code and a sentence for humans. */
export interface Failure {
  code: FailureCode;
  reason: string;
}

/**
 * A proxy's own failure says nothing of the target, which was never reached: the check could not
 * be done. Such a result is `unknown` whichever probe saw it, never `down` — a broken proxy must
 * not report every service behind it as an outage (a gate still fails: unknown exits 3).
 */
export function isProxyFailure(code: FailureCode): boolean {
  return code.startsWith('proxy.');
}

/**
 * outage itself ran short — of open files (EMFILE, ENFILE), socket memory (ENOBUFS, ENOMEM) — and
 * could not finish the check: `unknown`, never `down`, and never a retry's "degraded" either.
 */
export function isLocalFailure(code: FailureCode | null | undefined): boolean {
  return code === 'local.resources';
}

/**
 * The failures that are a timer running out: the attempt's budget, or a share of it (the
 * resolver's per-try timeout). A timer on outage's one event loop can run out while the loop is
 * busy with other work and an answer already waits unread, so these are the failures outage's own
 * load can cause (see src/probes/own-load.ts).
 */
const TIMEOUTS: ReadonlySet<FailureCode> = new Set<FailureCode>(['dns.timeout', 'tcp.timeout', 'proxy.timeout', 'tls.handshake_timeout', 'http.timeout', 'http.body_timeout']);

export function isTimeout(code: FailureCode): boolean {
  return TIMEOUTS.has(code);
}

/**
 * Failures that say nothing of the target because outage never tried to reach it: a proxy's own
 * failure, outage's own limits (`local.resources`), or an address `outage serve` refuses to
 * connect to (`tcp.forbidden`). Such a result is `unknown`, never `down`.
 */
export function saysNothingOfTarget(code: FailureCode): boolean {
  return isProxyFailure(code) || isLocalFailure(code) || code === 'tcp.forbidden';
}

/**
 * Decides, just before a socket is opened, whether outage may connect to an address (an IP
 * literal): undefined allows it, a failure refuses it. `outage serve` sets one so that a name
 * resolving to a cloud-metadata address is refused whatever the target string said.
 * `addressOnly`: only an address can admit the target (a name allowed by a CIDR pattern alone),
 * so a name that cannot be resolved here is refused where a proxy would resolve it.
 */
export type AddressGuard = ((address: string) => Failure | undefined) & { addressOnly?: boolean };

/** `dns.nxdomain` → `nxdomain`, `http.too_many_redirects` → `too many redirects`: for narrow columns. */
export function shortCode(code: string | null): string | undefined {
  return code?.split('.')[1]?.replace(/_/g, ' ');
}
