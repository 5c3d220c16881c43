/**
 * A whole connection (lookup → TCP → TLS with verification) for redirect hops to other origins.
 * The first hop never uses this: it reuses the socket the DNS/TCP/TLS probes already opened.
 */
import type { Socket } from 'node:net';
import { ipVersion } from '../core/ip-version.js';
import type { AddressGuard, Failure } from '../core/failure.js';
import type { ProxyServer } from '../config/proxy.js';
import type { ClientCertificate } from '../config/service.js';
import { fixedAddresses } from './address-feed.js';
import { resolveForConnect } from './address-resolution.js';
import { connectTcp, sameAddress, startTlsOrH2, type Reconnect } from './connect.js';
import type { NameResolver } from './dns-resolver.js';
import { connectThroughProxy } from './proxy.js';
import { refusedThroughProxy } from './proxy-guard.js';
import { unbracket } from '../core/domain.js';

/** Carries a classified failure through the HTTP client, which passes connector errors to the request. */
export class ConnectionFailure extends Error {
  readonly code = 'OUTAGE_CONNECT_FAILED';
  constructor(readonly failure: Failure) {
    super(failure.reason);
  }
}

export interface OpenOptions {
  host: string;
  port: number;
  secure: boolean;
  verify: boolean;
  ca?: string;
  /** The service's client certificate: presented on every hop, as curl does with --cert and -L. */
  client?: ClientCertificate;
  resolver: NameResolver;
  signal: AbortSignal;
  /** The hop's proxy: it resolves the name; TLS still runs end to end, through its tunnel. */
  proxy?: ProxyServer;
  /** Addresses outage must not connect to (see connectTcp): redirect hops obey it too. */
  guard?: AddressGuard;
  /** What is left of the attempt's budget: it bounds the guard's lookup before a proxy (proxy-guard.ts). */
  remainingMs: number;
  /**
   * Filled with outage's own time, not the target's (the hop's timing leaves it out): that lookup,
   * and a handshake an HTTP/2-only server refused before it was asked for h2 (startTlsOrH2).
   */
  guardTime?: { ms: number };
}

/**
 * How startTlsOrH2 reaches the same server again to offer h2: through a proxy a new tunnel (the
 * guard has already allowed this host), else the address the first connection reached.
 */
export function reconnectTo(socket: Socket, host: string, port: number, proxy: ProxyServer | undefined, signal: AbortSignal, guard?: AddressGuard): Reconnect | undefined {
  return proxy ? () => connectThroughProxy(proxy, host, port, true, signal) : sameAddress(socket, signal, guard);
}

/**
 * What TLS connections need (certificates.ts, and with it node:tls and node:crypto, ~6 ms), loaded
 * at the first one: a plain-HTTP run never loads it. Callers that time a connection load it before
 * their clock starts, so the loading is never counted as the server's time.
 */
export function loadTls(): Promise<typeof import('./certificates.js')> {
  return import('./certificates.js');
}

export async function openConnection(options: OpenOptions): Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }> {
  const host = unbracket(options.host);
  const tcp = options.proxy ? await connectProxied(options.proxy, host, options) : await connectDirect(host, options);
  if (!tcp.ok || !options.secure) return tcp;
  const { clientContext, inspectCertificates } = await loadTls();
  const tlsOptions = { host, servername: ipVersion(host) ? undefined : host, secureContext: clientContext(options.ca, options.client), clientCertificate: options.client !== undefined };
  // An HTTP/2-only origin a redirect leads to is asked again offering h2, as the first hop's is (tls/probe.ts).
  const tls = await startTlsOrH2(tcp.socket, tlsOptions, options.signal, reconnectTo(tcp.socket, host, options.port, options.proxy, options.signal, options.guard));
  if (options.guardTime && tls.ok && tls.ownMs) options.guardTime.ms += tls.ownMs;
  if (!tls.ok || !options.verify) return tls.ok ? { ok: true, socket: tls.tlsSocket } : tls;
  const { failure } = inspectCertificates(tls.tlsSocket, host, options.ca);
  if (failure) {
    tls.tlsSocket.destroy();
    return { ok: false, failure: { code: failure.code, reason: `${host}: ${failure.reason}` } };
  }
  return { ok: true, socket: tls.tlsSocket };
}

async function connectProxied(proxy: ProxyServer, host: string, options: OpenOptions): Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }> {
  // The guard cannot see where the proxy connects: it is asked here first (proxy-guard.ts).
  const asked = performance.now();
  const refused = await refusedThroughProxy(host, options.guard, options.resolver, options.signal, options.remainingMs);
  if (options.guardTime) options.guardTime.ms += performance.now() - asked;
  if (refused) return { ok: false, failure: refused };
  return connectThroughProxy(proxy, host, options.port, options.secure, options.signal);
}

async function connectDirect(host: string, options: OpenOptions): Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }> {
  let feed = fixedAddresses([host]);
  if (!ipVersion(host)) {
    const resolved = await resolveForConnect(host, options.resolver, options.signal);
    if (!resolved.ok) return resolved;
    feed = resolved.feed;
  }
  return connectTcp(feed, options.port, options.signal, options.guard);
}
