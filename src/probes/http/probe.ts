/**
 * HTTP probe (undici). The first request goes over the socket the TCP/TLS probes opened, so an
 * https service costs one lookup, one connection and one handshake. Redirects are followed up to
 * the limit, each hop recorded; a hop to another origin opens (and verifies) its own connection.
 */
import type { Socket } from 'node:net';
import type { Client as UndiciClient, Dispatcher } from 'undici';
import { budgetSpent } from '../../core/budget.js';
import type { Failure } from '../../core/failure.js';
import { CREDENTIAL_HEADERS } from '../../core/redact.js';
import type { ServiceSpec } from '../../config/service.js';
import { ConnectionFailure, openConnection } from '../../net/open-connection.js';
import { failureAfterHandshake } from '../../net/tls-alert.js';
import type { Probe, ProbeContext } from '../contract.js';
import { discardBody, readBody } from './body.js';
import type { HttpObservation } from './observation.js';
import { timeSocket, ttfbOf, type HopTimer } from './timing.js';

/**
 * Only undici's Client and its request API: the package entry loads everything (fetch, WebSocket,
 * caches, …) and costs ~50 ms more at every start. These files are internal to undici, so fall
 * back to the entry if a future version moves them.
 */
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
const { Client, request } = await Promise.all([
  import('undici/lib/dispatcher/client.js' as string) as Promise<{ default: typeof UndiciClient }>,
  import('undici/lib/api/index.js' as string) as Promise<{ default: { request: RequestFn } }>,
]).then(
  ([client, api]) => ({ Client: client.default, request: api.default.request }),
  async () => {
    const undici = await import('undici');
    return { Client: undici.Client, request: undici.Client.prototype.request as RequestFn };
  },
);
type Client = UndiciClient;

const closedBeforeRequest: Failure = { code: 'http.reset', reason: 'connection closed before the request was sent' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'outage/0.1 (+https://www.npmjs.com/package/outage)';

export const probeHttp: Probe<HttpObservation> = async (service, context) => {
  const spec = service.http;
  const endpoint = service.endpoint;
  if (!spec || !endpoint?.url) throw new Error(`service ${service.name} has no http target`);
  const started = performance.now();
  const { state } = context;
  const observation: HttpObservation = {
    kind: 'http',
    url: endpoint.url.toString(),
    hops: [],
    timings: { dns: state.timings.dns, connect: state.timings.connect, tls: state.timings.tls, total: 0 },
    bodyBytes: 0,
    bodyTruncated: false,
    durationMs: 0,
  };
  const clients = new Map<string, Client>();
  // Wire time of the hops so far. `total` is the sum of the phases a client waits on — lookup,
  // connect, handshake, each hop's connection and time to first byte, the final transfer — so
  // outage's own work (creating the client, decoding the body, inspecting certificates) is never
  // counted as the service's latency, as curl's time_total does not count it either.
  let wire = 0;
  const finish = (failure?: Failure) => {
    observation.failure = failure;
    observation.durationMs = performance.now() - started;
    const { dns = 0, connect = 0, tls = 0 } = state.timings;
    observation.timings.total = dns + connect + tls + wire;
    return observation;
  };

  let url = new URL(endpoint.url);
  let method = spec.method;
  let body = spec.body;
  let headers: Record<string, string> = { 'user-agent': USER_AGENT, ...spec.headers };
  let hopTimer: HopTimer | undefined;
  try {
    for (let hop = 0; ; hop++) {
      const client = clientFor(url, clients, service, context, () => hopTimer, hop === 0 ? (state.tlsSocket ?? state.socket) : undefined);
      hopTimer = {};
      const hopStarted = performance.now();
      let response: Dispatcher.ResponseData;
      try {
        response = await request.call(client, { path: url.pathname + url.search, method, headers, body, signal: context.signal });
      } catch (error) {
        observation.hops.push({ url: url.toString(), durationMs: performance.now() - hopStarted });
        wire += performance.now() - hopStarted;
        return finish(httpFailure(error, 'headers', context.signal));
      }
      const ttfb = ttfbOf(hopTimer, performance.now() - hopStarted);
      wire += (hopTimer.connectMs ?? 0) + ttfb;
      const status = response.statusCode;
      observation.hops.push({ url: url.toString(), status, durationMs: performance.now() - hopStarted });
      const location = header(response.headers, 'location');
      if (REDIRECTS.has(status) && location && spec.followRedirects > 0) {
        discardBody(response.body);
        if (hop >= spec.followRedirects) {
          observation.status = status;
          return finish({ code: 'http.too_many_redirects', reason: `more than ${spec.followRedirects} redirects (last to ${safeUrl(location, url)})` });
        }
        const next = new URL(location, url);
        next.username = '';
        next.password = '';
        if (next.origin !== url.origin) headers = withoutCredentials(headers);
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }

      observation.status = status;
      observation.url = url.toString();
      observation.contentType = header(response.headers, 'content-type');
      observation.timings.ttfb = ttfb;
      const read = await readBody(response.body, spec.maxBodyBytes, header(response.headers, 'content-encoding'));
      observation.timings.transfer = read.readMs;
      wire += read.readMs;
      observation.bodyBytes = read.rawBytes;
      observation.bodyTruncated = read.truncated;
      observation.body = read.text;
      return finish(read.error ? httpFailure(read.error, 'body', context.signal) : undefined);
    }
  } finally {
    for (const client of clients.values()) client.destroy().catch(() => {});
  }
};

function clientFor(
  url: URL,
  clients: Map<string, Client>,
  service: ServiceSpec,
  context: ProbeContext,
  currentHop: () => HopTimer | undefined,
  socket?: Socket,
): Client {
  const existing = clients.get(url.origin);
  if (existing) return existing;
  let handOver = socket;
  const remaining = Math.max(1, context.remaining());
  const client = new Client(url.origin, {
    pipelining: 1,
    headersTimeout: remaining,
    bodyTimeout: remaining,
    connect: (options, callback) => {
      if (handOver) {
        const ready = handOver;
        handOver = undefined;
        timeSocket(ready, currentHop);
        // Undici calls connectors from inside its dispatch loop and stalls if the callback runs
        // synchronously (the request then hangs until the deadline): hand the socket over async.
        // A socket the server already closed (a TLS 1.3 server refusing our client certificate
        // right after the handshake) would hang undici too: hand over the failure instead.
        queueMicrotask(() => {
          const failure = failureAfterHandshake(ready) ?? (ready.destroyed ? closedBeforeRequest : undefined);
          if (failure) callback(new ConnectionFailure(failure), null);
          else callback(null, ready);
        });
        return;
      }
      const secure = options.protocol === 'https:';
      const connectStarted = performance.now();
      openConnection({
        host: options.hostname,
        port: Number(options.port) || (secure ? 443 : 80),
        secure,
        verify: service.tls?.verify ?? true,
        ca: service.tls?.ca,
        client: service.tls?.client,
        resolver: context.resolver,
        signal: context.signal,
      }).then(
        (result) => {
          if (!result.ok) return callback(new ConnectionFailure(result.failure), null);
          const hop = currentHop();
          if (hop) hop.connectMs = performance.now() - connectStarted;
          timeSocket(result.socket, currentHop);
          callback(null, result.socket);
        },
        (error: Error) => callback(error, null),
      );
    },
  });
  clients.set(url.origin, client);
  return client;
}

/** Map what undici threw to a stable code; `phase` says whether headers had arrived. */
export function httpFailure(error: unknown, phase: 'headers' | 'body', signal: AbortSignal): Failure {
  if (error instanceof ConnectionFailure) return error.failure;
  // A TLS alert after the handshake (TLS 1.3's "certificate required"), classified as it arrived.
  const tls = failureAfterHandshake(error);
  if (tls) return tls;
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  if (signal.aborted || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT' || err.name === 'AbortError') {
    const spent = budgetSpent(signal);
    const within = spent ? ` ${spent}` : ' in time';
    return phase === 'headers' && err.code !== 'UND_ERR_BODY_TIMEOUT'
      ? { code: 'http.timeout', reason: `no response headers${within}` }
      : { code: 'http.body_timeout', reason: `response body not complete${within}` };
  }
  if (err.code === 'UND_ERR_HEADERS_OVERFLOW') return { code: 'http.protocol', reason: 'response headers too large' };
  if (err.name === 'HTTPParserError' || err.code?.startsWith('HPE_')) {
    return { code: 'http.protocol', reason: `not a valid HTTP response (${err.code ?? err.message})` };
  }
  if (err.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return { code: 'http.reset', reason: 'connection closed before the body reached its Content-Length' };
  }
  if (['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED'].includes(err.code ?? '')) {
    return phase === 'headers'
      ? { code: 'http.reset', reason: 'connection closed before a response arrived' }
      : { code: 'http.reset', reason: 'connection reset while reading the body' };
  }
  return { code: 'http.protocol', reason: `request failed: ${err.code ?? err.message ?? String(error)}` };
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Credentials are not forwarded to another origin, as browsers and curl behave. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}

function safeUrl(location: string, base: URL): string {
  try {
    const url = new URL(location, base);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return location.slice(0, 200);
  }
}
