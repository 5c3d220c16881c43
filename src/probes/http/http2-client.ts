/**
 * HTTP/2 for the one case outage needs it: a server that refuses http/1.1 in ALPN and accepts only
 * h2 (gRPC gateways, Envoy listeners, node:http2 without allowHTTP1). curl, browsers and
 * blackbox_exporter speak HTTP/2 to it, so a checker that cannot would call a healthy service down.
 * The TLS probe has already negotiated h2 on the socket; this runs node:http2 over that socket, with
 * the same request/response shape as client.ts, so redirects, cookies and bodies are handled alike.
 * HTTP/2's framing is binary and length-prefixed: none of HTTP/1.1's leniency questions arise.
 */
import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';
import type { Socket } from 'node:net';
import { HttpClosedError, HttpRequestError, type HttpResponse, type OriginClient, type RequestOptions } from './client.js';
import type { ResponseHeaders } from './response-head.js';

/** Request headers HTTP/2 forbids (RFC 9113 §8.2.2): connection-specific, carried by the framing. */
/** RST_STREAM's REFUSED_STREAM (RFC 9113 §7): the request was not processed. */
const REFUSED_STREAM = 0x7;

const CONNECTION_HEADERS = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

export class Http2Client implements OriginClient {
  private session?: ClientHttp2Session;
  /** The last stream the server's GOAWAY says it processes: set once it sent one. */
  private lastStreamId?: number;

  constructor(
    private readonly origin: string,
    private readonly socket: Socket,
  ) {}

  request(options: RequestOptions): Promise<HttpResponse> {
    const session = this.open();
    const { signal, timer } = options;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(reasonOf(signal));
      const headers: Record<string, string> = { ':method': options.method, ':path': options.path || '/' };
      for (const [name, value] of Object.entries(options.headers)) {
        const lower = name.toLowerCase();
        if (lower === 'host') headers[':authority'] = value;
        else if (!CONNECTION_HEADERS.has(lower)) headers[lower] = value;
      }
      let stream: ReturnType<ClientHttp2Session['request']>;
      try {
        stream = session.request(headers, { endStream: options.body === undefined });
      } catch (error) {
        return reject(session.closed || session.destroyed ? new HttpClosedError('connection closed before the request was sent', 'headers') : new HttpRequestError((error as Error).message));
      }
      if (timer) timer.sentAt = performance.now();
      if (options.body !== undefined) stream.end(options.body);
      let answered = false;
      // Refused, or above the GOAWAY's last stream: the server says it did not process the request,
      // so it may be sent again on a new connection (RFC 9113 §6.8, §8.7), as browsers do.
      const notAnswered = (message: string) => {
        const unprocessed = stream.rstCode === REFUSED_STREAM || (this.lastStreamId !== undefined && (stream.id ?? 0) > this.lastStreamId);
        return Object.assign(new HttpClosedError(message, 'headers'), unprocessed ? { unprocessed } : {});
      };
      const onAbort = () => {
        stream.close();
        if (!answered) reject(reasonOf(signal));
        else stream.destroy(reasonOf(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', onAbort));
      stream.once('response', (raw) => {
        answered = true;
        if (timer) timer.firstByteAt = performance.now();
        resolve({ statusCode: Number(raw[':status']), httpVersion: 20, headers: responseHeaders(raw), body: stream, transferCodings: [] });
      });
      stream.on('error', (error: Error & { code?: string }) => {
        if (answered) return;
        // RST_STREAM from the server: HTTP/2's way of resetting one request, as a reset is HTTP/1.1's.
        if (error.code === 'ERR_HTTP2_STREAM_ERROR') reject(notAnswered(`the server reset the request (${error.message.replace(/^Stream closed with error code /, '')})`));
        else reject(error);
      });
      // A stream closed (reset, GOAWAY, connection gone) before any response is the server closing.
      stream.once('close', () => {
        if (!answered && !signal.aborted) reject(notAnswered('connection closed before a response arrived'));
      });
    });
  }

  /** Whether another request may go over this connection: not after a GOAWAY, a close or an error. */
  get usable(): boolean {
    const session = this.session;
    return !this.socket.destroyed && this.lastStreamId === undefined && (!session || !(session.closed || session.destroyed));
  }

  destroy(): Promise<void> {
    this.session?.destroy();
    this.socket.destroy();
    return Promise.resolve();
  }

  private open(): ClientHttp2Session {
    if (!this.session) {
      const { connect } = process.getBuiltinModule('node:http2');
      this.session = connect(this.origin, { createConnection: () => this.socket });
      // Errors reach each request through its stream; this only keeps one from crashing the process.
      this.session.on('error', () => {});
      // After a GOAWAY no new stream may start here: the next request opens another connection.
      this.session.once('goaway', (_code: number, lastStreamId: number) => {
        this.lastStreamId = lastStreamId;
      });
    }
    return this.session;
  }
}

function responseHeaders(raw: IncomingHttpHeaders): ResponseHeaders {
  const headers: ResponseHeaders = Object.create(null) as ResponseHeaders;
  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith(':') || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value : [String(value)];
  }
  return headers;
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
