/**
 * Opening connections for probes: TCP to resolved addresses, then TLS over that same socket.
 * Nothing here throws for a failing target; results carry a classified Failure.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import { budgetSpent } from '../core/budget.js';
import type { Failure, FailureCode } from '../core/failure.js';
import { alertName, clientCertificateFailure, trackCertificateRequest, watchAfterHandshake, type ClientCertificateFacts } from './tls-alert.js';

/** One address tried while connecting. */
export interface ConnectAttempt {
  address: string;
  durationMs: number;
  code?: FailureCode;
  error?: string;
}

/** RFC 8305 "connection attempt delay": start the next address if one is silent this long. */
const ATTEMPT_DELAY_MS = 250;

export type TcpResult =
  | { ok: true; socket: Socket; address: string; attempts: ConnectAttempt[] }
  | { ok: false; failure: Failure; attempts: ConnectAttempt[] };

const TCP_ERRORS: Record<string, [FailureCode, string]> = {
  ECONNREFUSED: ['tcp.refused', 'connection refused (nothing listening)'],
  ETIMEDOUT: ['tcp.timeout', 'connection timed out'],
  ECONNRESET: ['tcp.reset', 'connection reset while connecting'],
  EHOSTUNREACH: ['tcp.unreachable', 'host unreachable (no route)'],
  ENETUNREACH: ['tcp.unreachable', 'network unreachable (no route)'],
  EHOSTDOWN: ['tcp.unreachable', 'host is down'],
  ENETDOWN: ['tcp.unreachable', 'network is down'],
  EADDRNOTAVAIL: ['tcp.unreachable', 'address not available from this machine'],
  EAFNOSUPPORT: ['tcp.unreachable', 'address family not supported here (no IPv6?)'],
};

export function tcpFailure(errorCode: string | undefined, target: string): Failure {
  const [code, text] = TCP_ERRORS[errorCode ?? ''] ?? ['tcp.unreachable', `cannot connect (${errorCode ?? 'unknown error'})`];
  return { code, reason: `${target}: ${text}` };
}

/** IPv4 first, then alternate families: CI runners often have no IPv6 route at all. */
export function orderAddresses(addresses: readonly string[]): string[] {
  const v4 = addresses.filter((a) => !a.includes(':'));
  const v6 = addresses.filter((a) => a.includes(':'));
  const ordered: string[] = [];
  for (let i = 0; i < Math.max(v4.length, v6.length); i++) {
    if (v4[i]) ordered.push(v4[i] as string);
    if (v6[i]) ordered.push(v6[i] as string);
  }
  return ordered;
}

export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function connectTcp(addresses: readonly string[], port: number, signal: AbortSignal): Promise<TcpResult> {
  const order = orderAddresses(addresses);
  const attempts: ConnectAttempt[] = [];
  const pending = new Map<Socket, { address: string; started: number }>();
  let firstFailure: Failure | undefined;
  let next = 0;
  let staggerTimer: NodeJS.Timeout | undefined;

  return new Promise<TcpResult>((resolve) => {
    let settled = false;
    const finish = (result: TcpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(staggerTimer);
      signal.removeEventListener('abort', onAbort);
      for (const socket of pending.keys()) socket.destroy();
      resolve(result);
    };
    const startNext = () => {
      clearTimeout(staggerTimer);
      const address = order[next++];
      if (settled || address === undefined) return;
      const started = performance.now();
      const socket = netConnect({ host: address, port, noDelay: true });
      // A socket must always have an error listener, or a late reset would crash the process.
      socket.on('error', () => {});
      pending.set(socket, { address, started });
      if (next < order.length) staggerTimer = setTimeout(startNext, ATTEMPT_DELAY_MS);
      socket.once('connect', () => {
        pending.delete(socket);
        attempts.push({ address, durationMs: performance.now() - started });
        finish({ ok: true, socket, address, attempts });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // After the race is decided, the winner's later errors belong to whoever uses it now.
        if (settled) return;
        pending.delete(socket);
        const failure = tcpFailure(error.code, formatHostPort(address, port));
        firstFailure ??= failure;
        attempts.push({ address, durationMs: performance.now() - started, code: failure.code, error: error.code });
        if (next < order.length) startNext();
        else if (pending.size === 0) finish({ ok: false, failure: firstFailure, attempts });
      });
    };
    const onAbort = () => {
      for (const { address, started } of pending.values()) {
        attempts.push({ address, durationMs: performance.now() - started, code: 'tcp.timeout' });
      }
      const target = order.map((a) => formatHostPort(a, port)).join(', ');
      const spent = budgetSpent(signal);
      const reason = spent ? `no answer ${spent}` : 'stopped';
      finish({ ok: false, failure: firstFailure ?? { code: 'tcp.timeout', reason: `${target}: connect timed out (${reason})` }, attempts });
    };
    if (order.length === 0) {
      resolve({ ok: false, failure: { code: 'tcp.unreachable', reason: 'no address to connect to' }, attempts });
      return;
    }
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    startNext();
  });
}

export interface TlsOptions {
  host: string;
  /** Omitted for IP literals: SNI carries names only. */
  servername?: string;
  secureContext: SecureContext;
  /** The secure context carries a client certificate (tls.cert and tls.key). */
  clientCertificate?: boolean;
  alpn?: string[];
}

export type TlsResult = { ok: true; tlsSocket: TLSSocket } | { ok: false; failure: Failure };

/**
 * Upgrade a connected socket with a full handshake (no session is offered, so no resumption can
 * hide it). Verification does not abort the handshake: the caller inspects the certificate and
 * decides, so an expired certificate is reported as exactly that rather than a generic error.
 */
export function startTls(socket: Socket, options: TlsOptions, signal: AbortSignal): Promise<TlsResult> {
  return new Promise<TlsResult>((resolve) => {
    const tlsSocket = tlsConnect({
      socket,
      host: options.host,
      servername: options.servername,
      secureContext: options.secureContext,
      ALPNProtocols: options.alpn ?? ['http/1.1'],
      rejectUnauthorized: false,
    });
    tlsSocket.on('error', () => {});
    const done = (result: TlsResult) => {
      signal.removeEventListener('abort', onAbort);
      if (!result.ok) tlsSocket.destroy();
      resolve(result);
    };
    const onAbort = () => {
      const reason = budgetSpent(signal) ?? 'before it was stopped';
      done({ ok: false, failure: { code: 'tls.handshake_timeout', reason: `TLS handshake did not complete ${reason}` } });
    };
    const presented = options.clientCertificate ?? false;
    const asked = trackCertificateRequest(tlsSocket, presented);
    tlsSocket.once('secureConnect', () => {
      asked();
      // Under TLS 1.3 the server judges our certificate after this point: its verdict comes later.
      watchAfterHandshake(tlsSocket, presented);
      done({ ok: true, tlsSocket });
    });
    tlsSocket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, failure: handshakeFailure(error, { asked: asked(), presented }) }),
    );
    tlsSocket.once('close', () => done({ ok: false, failure: { code: 'tls.handshake_failed', reason: 'connection closed during the TLS handshake' } }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function handshakeFailure(error: NodeJS.ErrnoException, facts: ClientCertificateFacts): Failure {
  const message = error.message ?? '';
  const aborted = error.code === 'ECONNRESET' || error.code === 'EPIPE';
  const alert = alertName(error);
  // A server that asked for a certificate we don't have, then refused: under TLS 1.2 this is
  // where it happens, with "handshake failure" (or, from some servers, a bare reset).
  const clientCertificate = alert || aborted ? clientCertificateFailure(alert, facts) : undefined;
  if (clientCertificate) return clientCertificate;
  if (aborted) {
    return { code: 'tls.handshake_failed', reason: 'connection reset during the TLS handshake' };
  }
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return { code: 'tls.handshake_failed', reason: 'server does not speak TLS on this port (is it http://?)' };
  }
  return { code: 'tls.handshake_failed', reason: alert ? `server sent TLS alert "${alert}"` : `TLS handshake failed: ${error.code ?? message}` };
}
