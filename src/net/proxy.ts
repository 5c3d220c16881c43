/**
 * Talking to an HTTP proxy: connect to it, open a CONNECT tunnel to the target (https and tcp:
 * services), or address it in absolute form (plain http). TLS then runs end to end through the
 * tunnel, so the origin's certificate is judged exactly as on a direct connection, and each phase
 * is timed on its own: the proxy's lookup, the connection to it, the CONNECT round trip.
 * Nothing here throws for a failing proxy or target: results carry a classified Failure.
 */
import type { Socket } from 'node:net';
import { budgetSpent } from '../core/budget.js';
import { isLocalFailure, type Failure, type FailureCode } from '../core/failure.js';
import { proxyFor, type ProxyServer, type ProxySettings } from '../config/proxy.js';
import type { ServiceSpec } from '../config/service.js';
import { connectTcp, formatHostPort, type ConnectAttempt } from './connect.js';
import { localFailure, type LocalCause } from './open-file-limit.js';
import { proxyAnswerFailure, type ProxyAnswer } from './proxy-answer.js';
import { systemLookup } from './system-lookup.js';
import { unbracket } from '../core/domain.js';

/** The proxy a connection to `url` goes through (a redirect hop, an origin of a service); undefined: direct. */
export function urlProxy(settings: ProxySettings | undefined, url: URL): ProxyServer | undefined {
  const secure = url.protocol === 'https:';
  return proxyFor(settings, secure ? 'https' : 'http', unbracket(url.hostname), Number(url.port) || (secure ? 443 : 80));
}

/** The proxy a service's own connection goes through; undefined when it connects directly. */
export function serviceProxy(service: Pick<ServiceSpec, 'proxy' | 'endpoint'>): ProxyServer | undefined {
  const endpoint = service.endpoint;
  return endpoint && proxyFor(service.proxy, endpoint.protocol, endpoint.host, endpoint.port);
}

/** outage's User-Agent: on its HTTP requests and on the CONNECT requests it sends a proxy. */
export const USER_AGENT = 'outage/0.1 (+https://www.npmjs.com/package/outage)';

export type ProxyConnection =
  | { ok: true; socket: Socket; address: string; attempts: ConnectAttempt[]; lookupMs?: number; connectMs: number }
  | { ok: false; failure: Failure; attempts: ConnectAttempt[]; lookupMs?: number };

const AS_PROXY: Partial<Record<FailureCode, FailureCode>> = { 'tcp.refused': 'proxy.refused', 'tcp.timeout': 'proxy.timeout' };

/** A TCP connection to the proxy; its name (if it has one) is looked up as the system does. */
export async function connectToProxy(proxy: ProxyServer, signal: AbortSignal): Promise<ProxyConnection> {
  let addresses = [proxy.host];
  let lookupMs: number | undefined;
  if (!proxy.isIp) {
    const started = performance.now();
    const found = await lookupProxy(proxy, signal);
    lookupMs = performance.now() - started;
    if ('code' in found) return { ok: false, failure: found, attempts: [], lookupMs };
    addresses = found;
  }
  const started = performance.now();
  const tcp = await connectTcp(addresses, proxy.port, signal);
  if (!tcp.ok) {
    // outage's own limits stay what they are: the proxy was never asked either.
    if (isLocalFailure(tcp.failure.code)) return { ok: false, failure: tcp.failure, attempts: tcp.attempts, ...(lookupMs !== undefined ? { lookupMs } : {}) };
    const code = AS_PROXY[tcp.failure.code] ?? 'proxy.unreachable';
    return { ok: false, failure: { code, reason: `proxy ${tcp.failure.reason}` }, attempts: tcp.attempts, ...(lookupMs !== undefined ? { lookupMs } : {}) };
  }
  return {
    ok: true,
    socket: tcp.socket,
    address: formatHostPort(tcp.address, proxy.port),
    attempts: tcp.attempts,
    connectMs: performance.now() - started,
    ...(lookupMs !== undefined ? { lookupMs } : {}),
  };
}

/** The proxy's name, looked up as the system does (and, like every lookup, within outage's open-file limit). */
async function lookupProxy(proxy: ProxyServer, signal: AbortSignal): Promise<string[] | Failure> {
  let held: LocalCause | undefined;
  const stopped = new Promise<Failure>((resolve) => {
    const onAbort = () =>
      resolve(held ? localFailure(`proxy ${proxy.host}: no address`, held) : { code: 'proxy.timeout', reason: `proxy ${proxy.host}: no address ${budgetSpent(signal) ?? 'before it was stopped'}` });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const found = systemLookup(proxy.host, 0, signal, 'first', (cause) => (held = cause)).then((answer): string[] | Failure | Promise<Failure> => {
    if (answer.ok) return answer.addresses;
    if (answer.code === 'ECANCELLED') return stopped;
    return {
      code: 'proxy.unreachable',
      reason: answer.code === 'ENOTFOUND' ? `proxy host ${proxy.host} does not resolve` : `proxy host ${proxy.host}: lookup failed (${answer.code})`,
    };
  });
  return Promise.race([found, stopped]);
}

export type TunnelResult = { ok: true; status: number; statusText: string } | { ok: false; failure: Failure; status?: number };

/** A CONNECT answer's head is at most this long; a body (the error page) is read up to this. */
const MAX_HEAD = 16 * 1024;
const MAX_BODY = 8 * 1024;
/** A refusal's body explains it; it gets this long to arrive, so a stalling proxy cannot hold the attempt. */
const BODY_GRACE_MS = 500;

/** `CONNECT host:port` over a connection to the proxy; on success the socket is the tunnel. */
export function openTunnel(socket: Socket, proxy: ProxyServer, host: string, port: number, signal: AbortSignal): Promise<TunnelResult> {
  const target = formatHostPort(host, port);
  const context = { proxy, target, tunnel: true };
  return new Promise<TunnelResult>((resolve) => {
    let received = Buffer.alloc(0);
    let head: { status: number; statusText: string; headers: Record<string, string>; bodyStart: number } | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const done = (result: TunnelResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      signal.removeEventListener('abort', onAbort);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const refused = () => {
      if (!head) return;
      const answer: ProxyAnswer = { status: head.status, statusText: head.statusText, headers: head.headers, body: received.subarray(head.bodyStart, head.bodyStart + MAX_BODY).toString('latin1') };
      const failure = proxyAnswerFailure(answer, context) ?? { code: 'proxy.protocol', reason: `proxy ${proxy.url} answered ${head.status} to CONNECT ${target}` };
      done({ ok: false, failure, status: head.status });
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!head) {
        const end = headEnd(received);
        if (!end) {
          if (received.length > MAX_HEAD) done({ ok: false, failure: { code: 'proxy.protocol', reason: `proxy ${proxy.url} sent no end to its answer's headers` } });
          return;
        }
        const parsed = parseHead(received.subarray(0, end.at).toString('latin1'));
        if (!parsed) {
          done({ ok: false, failure: { code: 'proxy.protocol', reason: `proxy ${proxy.url} did not answer CONNECT in HTTP (is it an HTTP proxy?)` } });
          return;
        }
        head = { ...parsed, bodyStart: end.next };
        if (head.status >= 200 && head.status < 300) {
          // Nothing may follow the answer: the target speaks only after our first bytes.
          socket.pause();
          if (received.length > head.bodyStart) {
            done({ ok: false, failure: { code: 'proxy.protocol', reason: `proxy ${proxy.url} sent data after opening the tunnel to ${target}` } });
          } else {
            done({ ok: true, status: head.status, statusText: head.statusText });
          }
          return;
        }
        graceTimer = setTimeout(refused, BODY_GRACE_MS);
      }
      const length = Number(head.headers['content-length'] ?? NaN);
      const bodyBytes = received.length - head.bodyStart;
      if (bodyBytes >= MAX_BODY || (Number.isFinite(length) && bodyBytes >= length)) refused();
    };
    const onClose = () => {
      if (head) return refused();
      done({ ok: false, failure: { code: 'proxy.protocol', reason: `proxy ${proxy.url} closed the connection without answering CONNECT ${target}` } });
    };
    const onAbort = () => {
      if (head) return refused();
      const spent = budgetSpent(signal) ?? 'before it was stopped';
      done({ ok: false, failure: { code: 'proxy.timeout', reason: `proxy ${proxy.url} did not answer CONNECT ${target} ${spent}` } });
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nUser-Agent: ${USER_AGENT}\r\n${auth}\r\n`);
  });
}

/**
 * Where the answer's head ends: `at` its last line's end, `next` after the empty line. Lines may
 * end in a bare LF, as curl and browsers read a proxy's answer too (RFC 9112 §2.2): a small proxy
 * that writes `\n\n` opens tunnels for them, and waiting for a CRLF CRLF that never comes would
 * be a false proxy.timeout.
 */
function headEnd(buffer: Buffer): { at: number; next: number } | undefined {
  for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, i + 1)) {
    if (buffer[i + 1] === 0x0a) return { at: i, next: i + 2 };
    if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a) return { at: i, next: i + 3 };
  }
  return undefined;
}

function parseHead(text: string): { status: number; statusText: string; headers: Record<string, string> } | undefined {
  const [statusLine = '', ...lines] = text.split(/\r?\n/);
  // Space or tab between the parts, as curl reads them.
  const match = /^HTTP\/1\.[01][ \t]+(\d{3})(?:[ \t]+(.*?))?\r?$/.exec(statusLine);
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), statusText: (match[2] ?? '').trim(), headers };
}

/**
 * A connection to `host:port` through the proxy, for a redirect hop: tunnelled when the hop is
 * secure (TLS follows end to end), else the proxy connection itself (absolute-form requests).
 */
export async function connectThroughProxy(proxy: ProxyServer, host: string, port: number, tunnel: boolean, signal: AbortSignal): Promise<{ ok: true; socket: Socket } | { ok: false; failure: Failure }> {
  const connection = await connectToProxy(proxy, signal);
  if (!connection.ok || !tunnel) return connection;
  const opened = await openTunnel(connection.socket, proxy, host, port, signal);
  return opened.ok ? { ok: true, socket: connection.socket } : opened;
}

/**
 * How a request goes to a plain-http proxy: the absolute URL as its target (RFC 9112 §3.2.2) and
 * the proxy's credentials, which only the proxy sees. Through a tunnel, or direct, it is unchanged.
 */
export function proxiedRequest(url: URL, headers: Record<string, string>, proxy: ProxyServer | undefined): { path: string; headers: Record<string, string> } {
  const path = url.pathname + url.search;
  if (!proxy || url.protocol !== 'http:') return { path, headers };
  if (!proxy.authorization) return { path: `${url.protocol}//${url.host}${path}`, headers };
  const others = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'proxy-authorization');
  return { path: `${url.protocol}//${url.host}${path}`, headers: { ...Object.fromEntries(others), 'proxy-authorization': proxy.authorization } };
}

/**
 * A plain-http response the proxy wrote itself (a 407, its own error page, a Proxy-Status or
 * X-Squid-Error header) is the proxy's failure, not the target's answer. Through a tunnel, and
 * direct, every response is the target's.
 */
export function proxyRefusal(url: URL, proxy: ProxyServer | undefined, status: number, headers: ProxyAnswer['headers']): Failure | undefined {
  if (!proxy || url.protocol !== 'http:') return undefined;
  return proxyAnswerFailure({ status, headers, body: '' }, { proxy, target: url.host, tunnel: false });
}

/**
 * Through a plain-http proxy the connection is the proxy's: one closed before any answer, or
 * answered in something that is not HTTP, cannot be pinned on the target (a proxy that is not one,
 * or one that hangs up, would otherwise make every http service behind it down).
 */
export function forwardFailure(failure: Failure, url: URL, proxy: ProxyServer | undefined): Failure {
  if (!proxy || url.protocol !== 'http:' || (failure.code !== 'http.reset' && failure.code !== 'http.protocol')) return failure;
  return { code: 'proxy.protocol', reason: `proxy ${proxy.url} gave no HTTP answer for ${url.origin}${url.pathname} (${failure.reason}): the proxy, or the target behind it, hung up` };
}
