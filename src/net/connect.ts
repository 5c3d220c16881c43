/**
 * Opening connections for probes: TCP to resolved addresses, then TLS over that same socket.
 * Nothing here throws for a failing target; results carry a classified Failure.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { budgetSpent } from '../core/budget.js';
import type { AddressGuard, Failure, FailureCode } from '../core/failure.js';
import { fixedAddresses, type AddressFeed } from './address-feed.js';
import { isLocalExhaustion, localFailure, roomForSocket, takeSocketSlot } from './open-file-limit.js';
import { fastIdentityCheck } from './server-identity.js';
import { alertName, alertReason, clientCertificateFailure, trackCertificateRequest, watchAfterHandshake, type ClientCertificateFacts } from './tls-alert.js';

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
  // Linux reports ICMP "administratively prohibited" as EHOSTUNREACH too: the reason says both.
  EHOSTUNREACH: ['tcp.unreachable', 'host unreachable (no route, or a firewall prohibits it)'],
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

/**
 * Families alternate (RFC 8305 §4), starting with `first`: the family of the first address the
 * resolution handed over — IPv4 when both were in together (CI runners often have no IPv6 route).
 */
export function orderAddresses(addresses: readonly string[], first: 4 | 6 = 4): string[] {
  const v4 = addresses.filter((a) => !a.includes(':'));
  const v6 = addresses.filter((a) => a.includes(':'));
  const [lead, other] = first === 4 ? [v4, v6] : [v6, v4];
  const ordered: string[] = [];
  for (let i = 0; i < Math.max(v4.length, v6.length); i++) {
    if (lead[i]) ordered.push(lead[i] as string);
    if (other[i]) ordered.push(other[i] as string);
  }
  return ordered;
}

export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Race connections to the addresses as the feed delivers them: a new attempt starts whenever the
 * last one has been silent for 250 ms or has failed, and an address that arrives later (the slower
 * DNS family) joins the race. The first connection wins; the rest are closed.
 *
 * Each socket holds one of outage's socket slots (open-file-limit.ts) until it closes. With none
 * free, or when the system refuses a socket (EMFILE…), the address waits for one and is tried
 * again; if the budget ends first with an address never tried for that reason, the failure is
 * `local.resources`: the target was never asked.
 *
 * With a `guard`, every address is asked about just before its socket would open: what it refuses
 * is never connected to (the resolved address, not the name, so DNS rebinding cannot slip past it).
 */
export function connectTcp(source: readonly string[] | AddressFeed, port: number, signal: AbortSignal, guard?: AddressGuard): Promise<TcpResult> {
  const feed = Array.isArray(source) ? fixedAddresses(source as readonly string[]) : (source as AddressFeed);
  const attempts: ConnectAttempt[] = [];
  const pending = new Map<Socket, { address: string; started: number }>();
  const seen: string[] = [];
  let untried: string[] = [];
  let firstFamily: 4 | 6 | undefined;
  let fed = false;
  let firstFailure: Failure | undefined;
  // An address the guard refused is the policy's word, not the target's: another address's failure
  // (refused, reset, timed out) is what the target said, and a retry could change it.
  let refusedByPolicy: Failure | undefined;
  let lastStart = -Infinity;
  let staggerTimer: NodeJS.Timeout | undefined;
  /** An address is waiting for a socket slot; `exhaustion` is the errno that made it wait, if any. */
  let waiting = false;
  let exhaustion: string | undefined;

  return new Promise<TcpResult>((resolve) => {
    let settled = false;
    let unsubscribe: () => void = () => {};
    const finish = (result: TcpResult) => {
      if (settled) return;
      settled = true;
      clearStagger();
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      for (const socket of pending.keys()) socket.destroy();
      resolve(result);
    };
    const failIfDone = () => {
      if (fed && pending.size === 0 && untried.length === 0) {
        finish({ ok: false, failure: firstFailure ?? refusedByPolicy ?? { code: 'tcp.unreachable', reason: 'no address to connect to' }, attempts });
      }
    };
    /** The next address after the attempt delay, counted from the last start. */
    const clearStagger = () => {
      clearTimeout(staggerTimer);
      staggerTimer = undefined;
    };
    const schedule = () => {
      clearStagger();
      if (untried.length === 0) return;
      if (pending.size === 0) return startNext();
      staggerTimer = setTimeout(startNext, Math.max(0, lastStart + ATTEMPT_DELAY_MS - performance.now()));
    };
    const waitForSocket = () => {
      if (waiting) return;
      waiting = true;
      void roomForSocket(signal).then((room) => {
        if (!room || settled) return;
        waiting = false;
        schedule();
      });
    };
    const startNext = () => {
      clearStagger();
      if (settled || untried.length === 0 || waiting) return;
      const refused = guard?.(untried[0] as string);
      if (refused) {
        const address = untried.shift() as string;
        refusedByPolicy ??= { code: refused.code, reason: `${formatHostPort(address, port)}: ${refused.reason}` };
        attempts.push({ address, durationMs: 0, code: refused.code });
        if (untried.length > 0) startNext();
        else failIfDone();
        return;
      }
      const slot = takeSocketSlot();
      if (!slot) return waitForSocket();
      const address = untried.shift() as string;
      const started = performance.now();
      lastStart = started;
      const socket = netConnect({ host: address, port, noDelay: true });
      socket.once('close', () => slot.release());
      // A socket must always have an error listener, or a late reset would crash the process.
      socket.on('error', () => {});
      pending.set(socket, { address, started });
      schedule();
      socket.once('connect', () => {
        pending.delete(socket);
        attempts.push({ address, durationMs: performance.now() - started });
        finish({ ok: true, socket, address, attempts });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // After the race is decided, the winner's later errors belong to whoever uses it now.
        if (settled) return;
        pending.delete(socket);
        if (isLocalExhaustion(error.code)) {
          // Outage's limit, not the target's answer: the address is tried again when a socket frees.
          slot.exhausted();
          exhaustion = error.code;
          untried.unshift(address);
          return waitForSocket();
        }
        const failure = tcpFailure(error.code, formatHostPort(address, port));
        firstFailure ??= failure;
        attempts.push({ address, durationMs: performance.now() - started, code: failure.code, error: error.code });
        if (untried.length > 0) startNext();
        else failIfDone();
      });
    };
    const onBatch = (batch: readonly string[]) => {
      const fresh = batch.filter((a) => !seen.includes(a));
      if (settled || fresh.length === 0) return;
      seen.push(...fresh);
      firstFamily ??= fresh[0]?.includes(':') ? 6 : 4;
      untried = orderAddresses([...untried, ...fresh], firstFamily);
      if (pending.size === 0 || staggerTimer === undefined) schedule();
    };
    const onEnd = () => {
      fed = true;
      failIfDone();
    };
    const onAbort = () => {
      for (const { address, started } of pending.values()) {
        attempts.push({ address, durationMs: performance.now() - started, code: 'tcp.timeout' });
      }
      const target = seen.map((a) => formatHostPort(a, port)).join(', ') || 'no address yet';
      if (waiting) {
        // An address was never tried for want of a socket: nothing is known of the target.
        const what = `cannot connect to ${untried.map((a) => formatHostPort(a, port)).join(', ')}`;
        return finish({ ok: false, failure: localFailure(what, exhaustion ?? 'busy'), attempts });
      }
      const spent = budgetSpent(signal);
      const reason = spent ? `no answer ${spent}` : 'stopped';
      const timedOut: Failure = { code: 'tcp.timeout', reason: `${target}: connect timed out (${reason})` };
      // Only when no allowed address was left waiting is the policy's refusal the whole story.
      finish({ ok: false, failure: firstFailure ?? (pending.size > 0 ? timedOut : (refusedByPolicy ?? timedOut)), attempts });
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    unsubscribe = feed.subscribe(onBatch, onEnd);
    if (settled) unsubscribe();
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

/**
 * `alpnRefused`: the server accepts none of the protocols offered (an HTTP/2-only server, offered
 * http/1.1). `ownMs`: time before the handshake that counts, outage's own (startTlsOrH2).
 */
export type TlsResult = { ok: true; tlsSocket: TLSSocket; ownMs?: number } | { ok: false; failure: Failure; alpnRefused?: boolean };

/**
 * Upgrade a connected socket with a full handshake (no session is offered, so no resumption can
 * hide it). Verification does not abort the handshake: the caller inspects the certificate and
 * decides, so an expired certificate is reported as exactly that rather than a generic error.
 */
export function startTls(socket: Socket, options: TlsOptions, signal: AbortSignal): Promise<TlsResult> {
  return new Promise<TlsResult>((resolve) => {
    const identity = fastIdentityCheck();
    // node:tls (with node:crypto, ~5 ms) loads with the first handshake: a plain-HTTP check has none.
    const tlsSocket = process.getBuiltinModule('node:tls').connect({
      socket,
      host: options.host,
      // RFC 6066: SNI carries the name without a trailing dot (`example.com.` is sent as
      // `example.com`, as curl and browsers send it); with the dot, a server choosing its
      // certificate by SNI finds no match and presents its default one.
      servername: options.servername?.replace(/\.$/, '') || undefined,
      secureContext: options.secureContext,
      ALPNProtocols: options.alpn ?? ['http/1.1'],
      rejectUnauthorized: false,
      checkServerIdentity: identity.checkServerIdentity,
    });
    identity.attach(tlsSocket);
    tlsSocket.on('error', () => {});
    const done = (result: TlsResult) => {
      identity.detach();
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
      done({ ok: false, failure: handshakeFailure(error, { asked: asked(), presented }), ...(alertName(error) === 'no application protocol' ? { alpnRefused: true } : {}) }),
    );
    tlsSocket.once('close', () => done({ ok: false, failure: { code: 'tls.handshake_failed', reason: 'connection closed during the TLS handshake' } }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A second connection to the same server: at the address the first reached, or through a new tunnel. */
export type Reconnect = () => Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }>;

/** Reconnect to the address `socket` reached (read before a failed handshake destroys the socket). */
export function sameAddress(socket: Socket, signal: AbortSignal, guard?: AddressGuard): Reconnect | undefined {
  const { remoteAddress, remotePort } = socket;
  return remoteAddress && remotePort ? () => connectTcp([remoteAddress], remotePort, signal, guard) : undefined;
}

/**
 * startTls, and when the server refuses http/1.1 in ALPN ("no application protocol": an
 * HTTP/2-only server) once more over `reconnect` offering h2, as curl, browsers and
 * blackbox_exporter are answered; the caller then speaks HTTP/2 (`alpnProtocol === 'h2'`).
 */
export async function startTlsOrH2(socket: Socket, options: TlsOptions, signal: AbortSignal, reconnect: Reconnect | undefined): Promise<TlsResult> {
  const started = performance.now();
  const result = await startTls(socket, options, signal);
  if (result.ok || !result.alpnRefused || !reconnect) return result;
  // From here on the server has said it speaks something other than http/1.1: a failure of the h2
  // connection (a timeout, a reset) is the answer, not the refusal that led to it.
  const again = await reconnect();
  if (!again.ok) return { ok: false, failure: again.failure };
  // The refused handshake and the second connection are what not offering h2 first cost: a client
  // that offers it (curl, a browser) waits for one handshake, so only that one is the service's time.
  const ownMs = performance.now() - started;
  const h2 = await startTls(again.socket, { ...options, alpn: ['h2'] }, signal);
  if (h2.ok) return { ...h2, ownMs };
  again.socket.destroy();
  return h2.alpnRefused ? result : h2;
}

function handshakeFailure(error: NodeJS.ErrnoException, facts: ClientCertificateFacts): Failure {
  if (isLocalExhaustion(error.code)) return localFailure('TLS handshake', error.code);
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
  return { code: 'tls.handshake_failed', reason: alert ? alertReason(alert) : `TLS handshake failed: ${error.code ?? message}` };
}
