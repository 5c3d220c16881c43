/**
 * A whole connection (lookup → TCP → TLS with verification) for redirect hops to other origins.
 * The first hop never uses this: it reuses the socket the DNS/TCP/TLS probes already opened.
 */
import { isIP, type Socket } from 'node:net';
import { clientContext, inspectCertificates } from './certificates.js';
import type { Failure } from '../core/failure.js';
import { fixedAddresses } from './address-feed.js';
import { resolveForConnect } from './address-resolution.js';
import { connectTcp, startTls } from './connect.js';
import type { NameResolver } from './dns-resolver.js';

/** Carries a classified failure through undici, which passes connector errors to the request. */
export class ConnectionFailure extends Error {
  // Not ERR_TLS_CERT_ALTNAME_INVALID: undici 7 special-cases that code and can leave requests hanging.
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
  resolver: NameResolver;
  signal: AbortSignal;
}

export async function openConnection(options: OpenOptions): Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }> {
  const host = options.host.replace(/^\[|\]$/g, '');
  let feed = fixedAddresses([host]);
  if (!isIP(host)) {
    const resolved = await resolveForConnect(host, options.resolver, options.signal);
    if (!resolved.ok) return resolved;
    feed = resolved.feed;
  }
  const tcp = await connectTcp(feed, options.port, options.signal);
  if (!tcp.ok || !options.secure) return tcp;
  const tls = await startTls(tcp.socket, { host, servername: isIP(host) ? undefined : host, secureContext: clientContext(options.ca) }, options.signal);
  if (!tls.ok || !options.verify) return tls.ok ? { ok: true, socket: tls.tlsSocket } : tls;
  const { failure } = inspectCertificates(tls.tlsSocket, host, options.ca);
  if (failure) {
    tls.tlsSocket.destroy();
    return { ok: false, failure: { code: failure.code, reason: `${host}: ${failure.reason}` } };
  }
  return { ok: true, socket: tls.tlsSocket };
}
