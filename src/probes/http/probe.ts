/**
 * HTTP probe (client.ts, an HTTP/1.1 client as lenient as browsers where RFC 9112 allows). The
 * first request goes over the socket the TCP/TLS probes opened, so an https service costs one
 * lookup, one connection and one handshake. Redirects are followed up to the limit, each hop
 * recorded, with a cookie jar for the check; a hop to another origin opens (and verifies) its own
 * connection.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { budgetSpent } from '../../core/budget.js';
import type { Failure } from '../../core/failure.js';
import { CREDENTIAL_HEADERS } from '../../core/redact.js';
import type { ServiceSpec } from '../../config/service.js';
import { ConnectionFailure, loadTls, openConnection } from '../../net/open-connection.js';
import { isLocalExhaustion, localFailure } from '../../net/open-file-limit.js';
import { forwardFailure, proxiedRequest, proxyRefusal, urlProxy, USER_AGENT } from '../../net/proxy.js';
import { failureAfterHandshake } from '../../net/tls-alert.js';
import type { Probe, ProbeContext } from '../contract.js';
import { discardBody, readBody } from './body.js';
import { Http1Client, type Connector, type HttpResponse, type OriginClient as Client } from './client.js';
import { Http2Client } from './http2-client.js';
import { NegotiatedClient } from './negotiated-client.js';
import { CookieJar } from './cookies.js';
import type { HttpObservation } from './observation.js';
import { quoteLocation, redirectTarget } from './redirect.js';
import { listValues, type ResponseHeaders } from './response-head.js';
import { ttfbOf, type HopTimer } from './timing.js';

const closedBeforeRequest: Failure = { code: 'http.reset', reason: 'connection closed before the request was sent' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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
    timings: { dns: state.timings.dns, connect: state.timings.connect, tunnel: state.timings.tunnel, tls: state.timings.tls, total: 0 },
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
    const { dns = 0, connect = 0, tunnel = 0, tls = 0 } = state.timings;
    observation.timings.total = dns + connect + tunnel + tls + wire;
    if (state.silentNameservers) observation.silentNameservers = state.silentNameservers;
    if (state.silentResolvers) observation.silentResolvers = state.silentResolvers;
    return observation;
  };

  let url = new URL(endpoint.url);
  let method = spec.method;
  let body = spec.body;
  // As curl: some bot filters answer a request with no Accept with a 403, a false alarm. A
  // configured header of either name replaces ours (client.ts keeps the last of a name).
  let headers: Record<string, string> = { accept: '*/*', 'user-agent': USER_AGENT, ...spec.headers };
  const jar = new CookieJar();
  let hopTimer: HopTimer | undefined;
  try {
    for (let hop = 0; ; hop++) {
      const client = clientFor(url, clients, service, context, () => hopTimer, hop === 0 ? (state.tlsSocket ?? state.socket) : undefined);
      hopTimer = {};
      const hopStarted = performance.now();
      let response: HttpResponse;
      // Through a plain-http proxy: absolute-form target and the proxy's credentials.
      const proxy = urlProxy(service.proxy, url);
      try {
        const hopHeaders = withCookies(hostFor(headers, url, endpoint.url), jar.header(url));
        response = await client.request({ ...proxiedRequest(url, hopHeaders, proxy), method, body, signal: context.signal, timer: hopTimer });
      } catch (error) {
        observation.hops.push({ url: url.toString(), durationMs: performance.now() - hopStarted });
        wire += performance.now() - hopStarted;
        return finish(forwardFailure(httpFailure(error, 'headers', context.signal), url, proxy));
      }
      const ttfb = ttfbOf(hopTimer, performance.now() - hopStarted);
      wire += (hopTimer.connectMs ?? 0) + ttfb;
      const status = response.statusCode;
      observation.hops.push({ url: url.toString(), status, durationMs: performance.now() - hopStarted });
      const refusal = proxyRefusal(url, proxy, status, response.headers);
      if (refusal) {
        discardBody(response.body);
        return finish(refusal);
      }
      jar.store(url, response.headers['set-cookie']);
      const locations = response.headers.location?.filter((l) => l.trim() !== '');
      if (REDIRECTS.has(status) && locations?.length && spec.followRedirects > 0) {
        discardBody(response.body);
        const target = redirectTarget(locations, url);
        if (hop >= spec.followRedirects) {
          observation.status = status;
          const last = target.ok ? target.url.toString() : quoteLocation(locations[0]!);
          return finish({ code: 'http.too_many_redirects', reason: `more than ${spec.followRedirects} redirects (last to ${last})` });
        }
        if (!target.ok) {
          observation.status = status;
          return finish(target.failure);
        }
        const next = target.url;
        if (next.origin !== url.origin) headers = withoutCredentials(headers);
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }

      observation.status = status;
      observation.httpVersion = response.httpVersion;
      observation.url = url.toString();
      observation.contentType = header(response.headers, 'content-type');
      observation.timings.ttfb = ttfb;
      const codings = [...listValues(response.headers['content-encoding']), ...response.transferCodings];
      const read = await readBody(response.body, spec.maxBodyBytes, { codings, contentType: observation.contentType });
      observation.timings.transfer = read.readMs;
      wire += read.readMs;
      observation.bodyBytes = read.rawBytes;
      observation.bodyTruncated = read.truncated;
      observation.body = read.text;
      observation.bodyProblem = read.problem;
      if (read.asSent) observation.bodyAsSent = true;
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
  // The TLS probe negotiated h2 with a server that refused http/1.1 (tls/probe.ts): speak HTTP/2.
  const h2 = socket && (socket as TLSSocket).alpnProtocol === 'h2' && !socket.destroyed && !failureAfterHandshake(socket);
  let handOver = h2 ? undefined : socket;
  const connect: Connector = (options, callback) => {
    if (handOver) {
      const ready = handOver;
      handOver = undefined;
      // A socket the server already closed (a TLS 1.3 server refusing our client certificate
      // right after the handshake) is handed over as that failure, not as a connection.
      const failure = failureAfterHandshake(ready) ?? (ready.destroyed ? closedBeforeRequest : undefined);
      if (failure) callback(new ConnectionFailure(failure), null);
      else callback(null, ready);
      return;
    }
    const secure = options.protocol === 'https:';
    const open = async () => {
      // A hop to https in a run with no TLS service loads TLS first: outage's time, not the hop's.
      if (secure) await loadTls();
      const connectStarted = performance.now();
      const guardTime = { ms: 0 };
      const result = await openConnection({
        host: options.hostname,
        port: Number(options.port) || (secure ? 443 : 80),
        secure,
        verify: service.tls?.verify ?? true,
        ca: service.tls?.ca,
        client: service.tls?.client,
        resolver: context.resolver,
        signal: context.signal,
        proxy: urlProxy(service.proxy, new URL(`${options.protocol}//${options.host}`)),
        guard: service.addressGuard,
        remainingMs: context.remaining(),
        guardTime,
      });
      // outage serve's local lookup before a proxy (proxy-guard.ts) is outage's time, not the hop's.
      return { result, connectMs: performance.now() - connectStarted - guardTime.ms };
    };
    open().then(
      ({ result, connectMs }) => {
        if (!result.ok) return callback(new ConnectionFailure(result.failure), null);
        const hop = currentHop();
        if (hop) hop.connectMs = connectMs;
        callback(null, result.socket);
      },
      (error: Error) => callback(error, null),
    );
  };
  // The first hop's HTTP/1.1 socket is handed over as it is (its failures are the probe's); any other
  // connection is opened first, and the protocol the server chose picks the client.
  const client = socket && !h2 ? new Http1Client(url.origin, { connect }) : new NegotiatedClient(url.origin, connect, h2 ? new Http2Client(url.origin, socket) : undefined);
  clients.set(url.origin, client);
  return client;
}

/** Map what the request threw to a stable code; `phase` says whether headers had arrived. */
export function httpFailure(error: unknown, phase: 'headers' | 'body', signal: AbortSignal): Failure {
  if (error instanceof ConnectionFailure) return error.failure;
  // A TLS alert after the handshake (TLS 1.3's "certificate required"), classified as it arrived.
  const tls = failureAfterHandshake(error);
  if (tls) return tls;
  const err = error as { code?: string; name?: string; message?: string; phase?: 'headers' | 'body' };
  if (signal.aborted || err.name === 'AbortError') {
    const within = ` ${budgetSpent(signal) ?? 'before it was stopped'}`;
    return phase === 'headers'
      ? { code: 'http.timeout', reason: `no response headers${within}` }
      : { code: 'http.body_timeout', reason: `response body not complete${within}` };
  }
  // Framing that cannot be read — including the request-smuggling patterns — is never a reset.
  if (err.code === 'OUTAGE_HTTP_PROTOCOL') return { code: 'http.protocol', reason: `not a valid HTTP response: ${err.message}` };
  if (err.code === 'OUTAGE_HTTP_CLOSED') return { code: 'http.reset', reason: err.message ?? 'connection closed' };
  if (err.code === 'OUTAGE_HTTP_REQUEST') return { code: 'http.protocol', reason: `the request cannot be sent: ${err.message}` };
  if (isLocalExhaustion(err.code)) return localFailure(phase === 'headers' ? 'HTTP request' : 'HTTP response body', err.code);
  // HTTP/2 (http2-client.ts): a stream reset (RST_STREAM) or a session torn down mid-body is a reset too.
  if (['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_STREAM_CANCEL'].includes(err.code ?? '')) {
    return phase === 'headers'
      ? { code: 'http.reset', reason: 'connection reset before a response arrived' }
      : { code: 'http.reset', reason: 'connection reset while reading the body' };
  }
  return { code: 'http.protocol', reason: `request failed: ${err.code ?? err.message ?? String(error)}` };
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  return headers[name]?.[0];
}

/** The check's cookies after any the configuration sets, as curl sends `-b` and its jar together. */
function withCookies(headers: Record<string, string>, cookies: string | undefined): Record<string, string> {
  if (!cookies) return headers;
  const name = Object.keys(headers).find((n) => n.toLowerCase() === 'cookie');
  return name ? { ...headers, [name]: `${headers[name]}; ${cookies}` } : { ...headers, cookie: cookies };
}

/**
 * A configured Host (a virtual host checked by its address) names the configured host: sent to it
 * on any port or scheme, and left out for a hop to another host, which is asked for by its own
 * name — curl's rule. Sent there, it made a sign-in service or CDN answer for a site it does not
 * serve (a 404 or 421): a false alarm. Unlike credentials, it is sent again on a hop back.
 */
function hostFor(headers: Record<string, string>, url: URL, configured: URL): Record<string, string> {
  if (url.hostname === configured.hostname) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host'));
}

/** Credentials are not forwarded to another origin, as browsers and curl behave. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}
