/**
 * `outage serve`'s address guard, for a connection that goes through a proxy. Directly, the guard
 * sees every address just before its socket opens (connect.ts); through a proxy the socket goes to
 * the proxy, which resolves the target's name and connects on outage's behalf, so the guard would
 * never see where the connection ends. An IP literal is judged as it stands. A name is looked up
 * here first, within a short bound, and any answer the guard refuses refuses the connection before
 * the proxy is asked: a name pointing at 169.254.169.254 is not fetched through the proxy either.
 * The proxy's own lookup stays out of sight (a name answering differently to it, or one only it
 * can resolve, is its call): README, Security, says how to close that at the proxy.
 */
import type { AddressGuard, Failure } from '../core/failure.js';
import { ipVersion } from '../core/ip-version.js';
import { resolveAddresses } from './address-resolution.js';
import type { NameResolver } from './dns-resolver.js';

/** The longest the local lookup may take: a proxied network may not resolve outside names at all. */
const LOOKUP_MS = 1000;

/** `remainingMs`: what is left of the attempt's budget; the lookup takes at most a quarter of it. */
export async function refusedThroughProxy(host: string, guard: AddressGuard | undefined, resolver: NameResolver, signal: AbortSignal, remainingMs: number): Promise<Failure | undefined> {
  if (!guard) return undefined;
  if (ipVersion(host)) return guard(host);
  const lookupMs = Math.max(0, Math.min(LOOKUP_MS, remainingMs / 4));
  const resolution = resolveAddresses(host, resolver, signal);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([resolution.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, lookupMs)))]);
  clearTimeout(timer);
  const addresses = resolution.answers().flatMap((answer) => answer.records.map((record) => record.value).filter((value) => ipVersion(value) !== 0));
  for (const address of addresses) {
    const refused = guard(address);
    if (refused) return { code: refused.code, reason: `${host} resolves here to ${address}, where the proxy would connect: ${refused.reason}` };
  }
  if (addresses.length === 0 && guard.addressOnly) {
    return { code: 'tcp.forbidden', reason: `${host} does not resolve here, so it cannot be held to its --allow-target range before the proxy connects to it` };
  }
  return undefined;
}
