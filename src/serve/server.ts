/**
 * The HTTP side of `outage serve`: routes (/probe, /metrics, /-/healthy, /-/ready, a small index),
 * then for each request the rate limit, authentication, and the answer. Nothing a client sends is
 * logged or becomes a metric label. Stopping: no new connections, probes in flight get `graceMs`
 * to finish, then are interrupted (their scrapes answered 503, never a false "down").
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Interrupted } from '../core/budget.js';
import { createAuthenticator, createRateLimiter } from './access.js';
import { EXPOSITION_CONTENT_TYPE } from '../report/exposition.js';
import { ExporterMetrics, maxFds } from './exporter-metrics.js';
import { createProbeHandler, text as plain, type Answer } from './probe-handler.js';
import { createSlots } from './slots.js';
import type { TargetPolicy } from './target-policy.js';
import type { WebConfig } from './web-config.js';

export interface ServeOptions {
  host: string;
  port: number;
  raw: unknown;
  file: string | undefined;
  env: NodeJS.ProcessEnv;
  policy: TargetPolicy;
  web?: WebConfig;
  /** Probes run at once; more wait in a queue of `maxWaiting`. */
  maxConcurrent: number;
  maxWaiting: number;
  /** Requests per second per client address (0: no limit), and the burst allowed. */
  ratePerSecond: number;
  rateBurst: number;
}

export interface RunningServer {
  /** `127.0.0.1:9323`, `[::1]:9323`: the address actually bound (port 0 picks one). */
  address: string;
  url: string;
  /** Serve the next scrapes from this config, validated whole by the caller (SIGHUP). */
  reload(raw: unknown, file: string | undefined): void;
  /** A reload that failed: the previous config keeps serving, and /metrics says so. */
  reloadFailed(): void;
  /** Stop accepting, let probes finish within `graceMs`, then interrupt them. True when none had to be. */
  stop(graceMs: number, signalName: string): Promise<boolean>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const metrics = new ExporterMetrics();
  const stopProbes = new AbortController();
  const slots = createSlots(options.maxConcurrent, options.maxWaiting, (_running, waiting) => (metrics.waiting = waiting));
  const probe = createProbeHandler({ raw: options.raw, file: options.file, env: options.env, policy: options.policy, slots, metrics, stop: stopProbes.signal });
  const auth = createAuthenticator(options.web);
  const limiter = createRateLimiter(options.ratePerSecond, options.rateBurst);
  let stopping = false;
  const extraHeaders = options.web?.headers ?? {};
  // The schemes the web config takes, each offered (RFC 9110 §11.6.1); Basic when it takes none (a client certificate refused).
  const schemes = [...(options.web?.basicUsers.size ? ['Basic realm="outage", charset="UTF-8"'] : []), ...(options.web?.bearerHashes.length ? ['Bearer realm="outage"'] : [])];
  const challenge = schemes.length > 0 ? schemes.join(', ') : 'Basic realm="outage", charset="UTF-8"';

  const answer = async (request: IncomingMessage, gone: AbortSignal): Promise<Answer> => {
    const url = requestUrl(request.url ?? '/');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET', 'bad_request', { Allow: 'GET, HEAD' });
    if (!url) return plain(400, 'the request target is not a path or URL', 'bad_request');
    if (url.pathname === '/-/healthy') return plain(200, 'OK');
    if (url.pathname === '/-/ready') return stopping ? plain(503, 'shutting down', 'shutting_down') : plain(200, 'OK');
    if (!limiter.take(request.socket.remoteAddress ?? 'unknown')) return plain(429, 'too many requests from this address; slow down', 'rate_limited', { 'Retry-After': '1' });
    if (!(await auth.check(request))) return plain(401, 'unauthorized', 'unauthorized', { 'WWW-Authenticate': challenge });
    if (url.pathname === '/metrics') return { status: 200, contentType: EXPOSITION_CONTENT_TYPE, body: metrics.text() };
    if (url.pathname === '/probe') {
      if (stopping) return plain(503, 'shutting down', 'shutting_down', { 'Retry-After': '1' });
      return probe.handle(url.searchParams, header(request, 'x-prometheus-scrape-timeout-seconds'), gone);
    }
    if (url.pathname === '/') return { status: 200, contentType: 'text/html; charset=utf-8', body: INDEX };
    return plain(404, 'not found: try /probe?target=…, /metrics, /-/healthy, /-/ready', 'not_found');
  };

  const inFlight = new Set<Promise<void>>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const client = new AbortController();
    // The scraper gave up (its own timeout) or went away: its probe is not needed any more.
    response.on('close', () => {
      if (!response.writableFinished) client.abort(new Interrupted('client closed the connection'));
    });
    const done = answer(request, client.signal)
      .catch((): Answer => {
        metrics.error();
        return plain(500, 'internal error in outage serve (a bug: please report it)');
      })
      .then((a) => {
        if (a.refusal) metrics.refuse(a.refusal);
        if (response.destroyed) return;
        // Content-Length on HEAD too: the headers GET would send (RFC 9110 §9.3.2).
        const length = Buffer.byteLength(a.body);
        response.writeHead(a.status, { ...extraHeaders, 'Content-Type': a.contentType, 'Content-Length': length, 'Cache-Control': 'no-store', ...(a.headers ?? {}), ...(stopping ? { Connection: 'close' } : {}) });
        response.end(request.method === 'HEAD' ? undefined : a.body);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const checking = { connectionsCheckingInterval: 1000 };
  const server: Server = options.web?.tls
    ? createHttpsServer({ ...checking, ...options.web.tls, minVersion: options.web.tls.minVersion as 'TLSv1.2' | undefined, maxVersion: options.web.tls.maxVersion as 'TLSv1.3' | undefined }, handle)
    : createHttpServer(checking, handle);
  // Bounded: a client that opens a connection and says nothing, or trickles a body one byte at a
  // time, is dropped (checked every second). requestTimeout bounds receiving the request only, not
  // the answer: a probe still takes as long as its scrape budget.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 30_000;
  server.maxHeadersCount = 100;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Said before closing, as Node's own default and Go's server (blackbox_exporter's) do: a bare
    // close left curl with "empty reply from server" and a scraper with a reset, not the reason.
    // Nothing once an answer began on the connection (a body trickling in after its 405), or to
    // a peer gone. Destroyed once written (so short an answer fits the kernel's buffer even for
    // a peer that reads nothing): such a connection holds no socket.
    if (socket.writable && socket.bytesWritten === 0 && error.code !== 'ECONNRESET') {
      metrics.refuse('bad_request');
      socket.end(CLIENT_ERRORS[error.code ?? ''] ?? BAD_REQUEST, () => socket.destroy());
    } else {
      socket.destroy();
    }
  });
  // Connections past half the descriptors (less what the probes need) are refused, so a flood of
  // clients can never leave the probes without sockets: outage's limits must not look like a target's.
  server.maxConnections = Math.max(64, Math.floor((maxFds() ?? 2048) / 2) - options.maxConcurrent * 4);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = bound.family === 'IPv6' || bound.address.includes(':') ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;

  return {
    address,
    url: `${options.web?.tls ? 'https' : 'http'}://${address}`,
    reload(raw, file) {
      probe.useConfig(raw, file);
      metrics.configReloaded(true);
    },
    reloadFailed() {
      metrics.configReloaded(false);
    },
    async stop(graceMs, signalName) {
      stopping = true;
      // Scrapes still waiting for a slot are answered now: only probes already running get the grace.
      slots.close();
      server.close();
      server.closeIdleConnections();
      const all = () => Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([all().then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
      clearTimeout(timer);
      if (!finished) {
        stopProbes.abort(new Interrupted(signalName));
        await all();
      }
      server.closeAllConnections();
      return finished;
    },
  };
}

/**
 * The request target as a URL, or undefined when it is none (a client's mistake, not a bug here).
 * A path is read as a path: resolved against a base, `//probe` would be a URL naming host "probe".
 */
function requestUrl(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://outage.invalid${target}`) : new URL(target, 'http://outage.invalid');
  } catch {
    return undefined;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The answers Node's server gives by default when it cannot read a request. */
const CLIENT_ERRORS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

const INDEX = `<!doctype html><html><head><title>outage serve</title></head><body>
<h1>outage serve</h1>
<p>A Prometheus exporter in blackbox_exporter's multi-target pattern.</p>
<ul><li><a href="/probe?target=https://example.com/">/probe?target=…[&amp;module=…][&amp;format=json]</a></li>
<li><a href="/metrics">/metrics</a> (the exporter's own metrics)</li>
<li><a href="/-/healthy">/-/healthy</a>, <a href="/-/ready">/-/ready</a></li></ul>
</body></html>
`;
