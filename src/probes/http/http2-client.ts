/**
 * HTTP/2 for the one case outage needs it: a server that refuses http/1.1 in ALPN and accepts only
 * h2 (gRPC gateways, Envoy listeners, node:http2 without allowHTTP1). curl, browsers and
 * blackbox_exporter speak HTTP/2 to it, so a checker that cannot would call a healthy service down.
 * The TLS probe has already negotiated h2 on the socket; this runs node:http2 over that socket, with
 * the same request/response shape as client.ts, so redirects, cookies and bodies are handled alike.
 * HTTP/2's framing is binary and length-prefixed: none of HTTP/1.1's leniency questions arise. What
 * node:http2 leaves unsaid — that its client gave up on a broken server, which side reset a stream,
 * whether the server ended a body — is read from the frames (http2-frames.ts), so a broken server is
 * http.protocol at once, not a timeout, and a cut body is http.reset, not judged as the whole body.
 */
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { HttpClosedError, HttpRequestError, type HttpResponse, type OriginClient, type RequestOptions } from './client.js';
import { CANCEL, h2ErrorName, WatchedConnection } from './http2-frames.js';
import { HttpProtocolError, listValues, MAX_HEAD_BYTES, type ResponseHeaders } from './response-head.js';

/** RST_STREAM's REFUSED_STREAM (RFC 9113 §7): the request was not processed. */
const REFUSED_STREAM = 0x7;
const PROTOCOL_ERROR = 0x1;
/**
 * Response headers are held to HTTP/1.1's limit (response-head.ts), not Node's defaults of 64 KiB
 * and 128 fields: a page with 150 header fields is up in browsers and over HTTP/1.1. HPACK counts
 * 32 bytes for each field, so the byte limit bounds the count too.
 */
const HEADER_LIMITS = { maxHeaderListPairs: MAX_HEAD_BYTES / 32, settings: { maxHeaderListSize: MAX_HEAD_BYTES } };

/** Request headers HTTP/2 forbids (RFC 9113 §8.2.2): connection-specific, carried by the framing. */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

export class Http2Client implements OriginClient {
  private session?: ClientHttp2Session;
  private readonly watch: WatchedConnection;
  /** The last stream the server's GOAWAY says it processes: set once it sent one. */
  private lastStreamId?: number;

  constructor(
    private readonly origin: string,
    private readonly socket: Socket,
  ) {
    this.watch = new WatchedConnection(socket);
  }

  request(options: RequestOptions): Promise<HttpResponse> {
    const session = this.open();
    const { signal, timer } = options;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(reasonOf(signal));
      // :authority as HTTP/1.1's Host (client.ts) and browsers write it: the port only when not the
      // default, an IPv6 address in brackets. node:http2's own is host:port always, unbracketed, and
      // servers route on it (an Envoy virtual host for `example.com` does not match `example.com:443`).
      const headers: Record<string, string> = { ':method': options.method, ':path': options.path || '/', ':authority': new URL(this.origin).host };
      for (const [name, value] of Object.entries(options.headers)) {
        const lower = name.toLowerCase();
        if (lower === 'host') headers[':authority'] = value;
        // TE may say only `trailers` in HTTP/2: any other value is dropped, as curl drops it, rather
        // than a header written for HTTP/1.1 servers making node:http2 refuse to send the request.
        else if (lower === 'te') {
          if (listValues([value]).includes('trailers')) headers.te = 'trailers';
        } else if (!CONNECTION_HEADERS.has(lower)) headers[lower] = value;
      }
      let stream: ClientHttp2Stream;
      try {
        stream = session.request(headers, { endStream: options.body === undefined });
      } catch (error) {
        return reject(session.closed || session.destroyed ? new HttpClosedError('connection closed before the request was sent', 'headers') : new HttpRequestError((error as Error).message));
      }
      if (timer) timer.sentAt = performance.now();
      if (options.body !== undefined) stream.end(options.body);
      let body: Readable | undefined;
      let failed: Error | undefined;
      const onAbort = () => {
        stream.close(CANCEL);
        if (body) body.destroy(reasonOf(signal));
        else reject(reasonOf(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.once('response', (raw) => {
        if (timer) timer.firstByteAt = performance.now();
        const status = Number(raw[':status']);
        // nghttp2 has checked :status is three digits; HTTP/1.1's reader refuses one below 100 too.
        if (!(status >= 100)) {
          failed = new HttpProtocolError(`invalid status code ${String(raw[':status'])}`);
          return stream.close(PROTOCOL_ERROR);
        }
        body = this.bodyOf(stream);
        resolve({ statusCode: status, httpVersion: 20, headers: responseHeaders(raw), body, transferCodings: [] });
      });
      stream.on('error', (error: Error) => (failed ??= error));
      // Decided once the stream is closed and the frames that closed it were seen (http2-frames.ts).
      stream.once('close', () =>
        setImmediate(() => {
          signal.removeEventListener('abort', onAbort);
          if (body || signal.aborted) return;
          const error = this.explain(stream, failed);
          // Refused, or above the GOAWAY's last stream: the server says it did not process the
          // request, so it may be sent again on a new connection (RFC 9113 §6.8, §8.7), as browsers do.
          const unprocessed = stream.rstCode === REFUSED_STREAM || (this.lastStreamId !== undefined && (stream.id ?? 0) > this.lastStreamId);
          reject(unprocessed && error instanceof HttpClosedError ? Object.assign(error, { unprocessed }) : error);
        }),
      );
    });
  }

  /** Whether another request may go over this connection: not after a GOAWAY, a close or an error. */
  get usable(): boolean {
    const session = this.session;
    return !this.socket.destroyed && this.lastStreamId === undefined && this.watch.clientGoaway === undefined && !this.watch.broken && (!session || !(session.closed || session.destroyed));
  }

  destroy(): Promise<void> {
    this.session?.destroy();
    this.watch.destroy();
    this.socket.destroy();
    return Promise.resolve();
  }

  private open(): ClientHttp2Session {
    if (!this.session) {
      const { connect } = process.getBuiltinModule('node:http2');
      const session = connect(this.origin, { ...HEADER_LIMITS, createConnection: () => this.watch });
      this.session = session;
      // Errors reach each request through its stream; this only keeps one from crashing the process.
      session.on('error', () => {});
      // After a GOAWAY no new stream may start here: the next request opens another connection.
      session.once('goaway', (_code: number, lastStreamId: number) => {
        this.lastStreamId = lastStreamId;
      });
      // outage's client gave up on a server that broke the protocol; Node would wait for it.
      this.watch.onBroken = (reason) => session.destroy(new HttpProtocolError(reason));
    }
    return this.session;
  }

  /** The response body: whole only if the server ended its stream, as HTTP/1.1's is at its length. */
  private bodyOf(stream: ClientHttp2Stream): Readable {
    let failed: Error | undefined;
    const body = new Readable({
      read: () => stream.resume(),
      destroy: (error, callback) => {
        if (!stream.closed) stream.close(CANCEL);
        callback(error);
      },
    });
    stream.on('data', (chunk: Buffer) => {
      if (!body.push(chunk)) stream.pause();
    });
    stream.on('error', (error: Error) => (failed ??= error));
    let ended = false;
    const end = () => {
      ended = true;
      body.push(null);
    };
    // The server ended its side: the body is whole even if the stream never closes. It stays open
    // while a request body is still unsent, and a server that has answered may stop that upload
    // with RST_STREAM NO_ERROR and never open the flow-control window again (RFC 9113 §8.1:
    // clients "MUST NOT discard responses" reset so) — Node then waits for the upload for ever.
    stream.once('end', () => {
      if (!body.destroyed && this.whole(stream, failed)) end();
    });
    stream.once('close', () =>
      setImmediate(() => {
        if (body.destroyed || ended) return;
        if (this.whole(stream, failed)) return end();
        body.destroy(this.explain(stream, failed, 'body'));
      }),
    );
    return body;
  }

  /**
   * The server ended the stream and outage's client found nothing wrong with it (no reset of its
   * own, as for a body longer than its content-length; no broken framing; no GOAWAY of its own
   * with an error code).
   * The session the server then closes with an error code (a GOAWAY of PROTOCOL_ERROR or
   * ENHANCE_YOUR_CALM that counts this stream as processed) does not undo a response already
   * whole, as a reset after a complete HTTP/1.1 body does not.
   */
  private whole(stream: ClientHttp2Stream, failed: Error | undefined): boolean {
    const id = stream.id ?? 0;
    const { endedByServer, resetByClient, broken, clientGoaway } = this.watch;
    // Node answers a server's GOAWAY with its own of NO_ERROR as it closes: only an error code says it found a fault.
    if (!endedByServer.has(id) || resetByClient.has(id) || broken !== undefined || (clientGoaway !== undefined && clientGoaway !== 0)) return false;
    return failed === undefined || (failed as { code?: string }).code === 'ERR_HTTP2_SESSION_ERROR';
  }

  /** Why a stream ended without a (whole) response: which side reset it, and how. */
  private explain(stream: ClientHttp2Stream, error: Error | undefined, phase: 'headers' | 'body' = 'headers'): Error {
    if (error instanceof HttpProtocolError) return error;
    const { broken, resetByClient } = this.watch;
    if (broken) return new HttpProtocolError(broken);
    const ours = resetByClient.get(stream.id ?? 0);
    if (ours === PROTOCOL_ERROR) return new HttpProtocolError(phase === 'headers' ? MALFORMED_HEAD : MALFORMED_BODY);
    if (ours !== undefined && ours !== CANCEL) return new HttpProtocolError(streamErrors[ours] ?? `outage reset the HTTP/2 stream (${h2ErrorName(ours)})`);
    const code = (error as { code?: string } | undefined)?.code;
    // Node's own verdict on the connection: a flood of control frames, a window overflow.
    if (code === 'ERR_HTTP2_ERROR' || code === 'ERR_HTTP2_SESSION_ERROR') return new HttpProtocolError(`HTTP/2: ${error!.message}`);
    if (code === 'ERR_HTTP2_STREAM_ERROR') {
      const name = h2ErrorName(stream.rstCode ?? 0);
      return new HttpClosedError(phase === 'headers' ? `the server reset the request (${name})` : `the server reset the response before its end (${name})`, phase);
    }
    if (error && code !== 'ERR_HTTP2_STREAM_CANCEL') return error;
    return new HttpClosedError(phase === 'headers' ? 'connection closed before a response arrived' : 'connection closed before the body was complete', phase);
  }
}

/** What outage's client resets a stream for: nghttp2's checks of a response (RFC 9113 §8.1.1). */
const MALFORMED_HEAD = 'malformed HTTP/2 response headers (a missing or invalid :status, or a forbidden or invalid header field)';
const MALFORMED_BODY = 'malformed HTTP/2 response body (longer or shorter than its content-length, or invalid trailers)';
const streamErrors: Record<number, string> = {
  0x2: `response headers larger than ${MAX_HEAD_BYTES / 1024} KiB`,
  0xb: `response headers larger than ${MAX_HEAD_BYTES / 1024} KiB`,
};

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
