/**
 * An HTTP/1.1 client for one origin over sockets outage opened itself: the first is the one the
 * TCP/TLS probes already opened, so a check costs one lookup, one connection and one handshake.
 *
 * Why not undici or node:http: both parse with llhttp. Undici 7 exposes none of llhttp's lenient
 * flags and tears the connection down on an unsolicited `100 Continue`; node:http's only switch
 * (`insecureHTTPParser`) turns on every leniency at once — including accepting Content-Length
 * with chunked encoding and chunk data without its line end, the request-smuggling patterns — and
 * neither accepts an equal duplicate Content-Length. Reading one response to our own request is a
 * small job (response-reader.ts), and doing it here lets each leniency be chosen one by one.
 */
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { keepsAlive, NoStatusLineError, type Framing, type ResponseHeaders } from './response-head.js';
import { ResponseReader } from './response-reader.js';
import type { HopTimer } from './timing.js';

/** Where to connect, named as in a URL (`host` is `hostname:port`, `port` empty for the default). */
export interface ConnectOptions {
  protocol: string;
  host: string;
  hostname: string;
  port: string;
}
export type Connector = (options: ConnectOptions, callback: (error: Error | null, socket: Socket | null) => void) => void;

export interface RequestOptions {
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Receives when the request was written and when the first response byte arrived. */
  timer?: HopTimer;
}

export interface HttpResponse {
  statusCode: number;
  /** 10 for HTTP/1.0, 11 for HTTP/1.1, as the status line said; 20 for HTTP/2. */
  httpVersion: number;
  headers: ResponseHeaders;
  body: Readable;
  /** Transfer codings other than chunked (`Transfer-Encoding: gzip, chunked`), for the body reader. */
  transferCodings: string[];
}

/** The connection ended before the response did; `started` says whether any of it had arrived. */
export class HttpClosedError extends Error {
  readonly code = 'OUTAGE_HTTP_CLOSED';
  constructor(
    message: string,
    readonly phase: 'headers' | 'body',
  ) {
    super(message);
  }
}

/** A request that cannot be written as HTTP/1.1 (a line break in a header value). */
export class HttpRequestError extends Error {
  readonly code = 'OUTAGE_HTTP_REQUEST';
}

/** Methods RFC 9110 §9.2.1 calls safe: sending one again changes nothing on the server. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const UNTIL: Record<Framing['kind'], string> = {
  none: 'the response was complete',
  length: 'the body reached its Content-Length',
  chunked: 'the last chunk of the body',
  close: 'the body was complete',
};

/** What the HTTP probe asks of a client for one origin: HTTP/1.1 here, HTTP/2 in http2-client.ts. */
export interface OriginClient {
  request(options: RequestOptions): Promise<HttpResponse>;
  destroy(): Promise<void>;
}

export class Http1Client implements OriginClient {
  private readonly url: URL;
  /** An idle socket that may carry the next request (keep-alive), and how to take it over. */
  private idle?: { socket: Socket; takeOver(): void };
  private readonly sockets = new Set<Socket>();

  constructor(
    origin: string,
    private readonly options: { connect: Connector },
  ) {
    this.url = new URL(origin);
  }

  async request(options: RequestOptions): Promise<HttpResponse> {
    const head = requestHead(this.url, options);
    const idle = this.idle;
    this.idle = undefined;
    if (idle) {
      idle.takeOver();
      const progress = { received: false };
      try {
        return await this.exchange(idle.socket, head, options, progress);
      } catch (error) {
        // A server may close an idle keep-alive connection just as the next request goes out
        // (RFC 9112 §9.3.1): with no byte of a response received, retry once on a new connection,
        // as browsers and curl do. Bytes that are no status line may be what the previous answer
        // sent past its framing (a body to a HEAD) arriving late: a safe request is asked again on
        // a new connection, whose answer is the server's (Chrome does not reuse a connection with
        // unread bytes; reusing one is outage's choice, so its verdict cannot hang on that race).
        // Anything else is the server's answer.
        const leftover = error instanceof NoStatusLineError && SAFE_METHODS.has(options.method);
        if ((progress.received && !leftover) || options.signal.aborted || (error as { code?: string }).code === 'OUTAGE_HTTP_REQUEST') throw error;
      }
    }
    return this.exchange(await this.connect(), head, options, { received: false });
  }

  destroy(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.idle = undefined;
    return Promise.resolve();
  }

  private connect(): Promise<Socket> {
    const { protocol, host, hostname, port } = this.url;
    return new Promise((resolve, reject) => {
      this.options.connect({ protocol, host, hostname, port }, (error, socket) => {
        if (error || !socket) return reject(error ?? new Error('no socket'));
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        resolve(socket);
      });
    });
  }

  private exchange(socket: Socket, head: Buffer, options: RequestOptions, progress: { received: boolean }): Promise<HttpResponse> {
    return exchange(socket, head, options, progress, (reusable) => {
      if (reusable && !socket.destroyed) this.park(socket);
      else socket.destroy();
    });
  }

  /** Keep a socket for the next request; bytes or a close arriving meanwhile make it unusable. */
  private park(socket: Socket): void {
    const unusable = () => {
      if (this.idle?.socket === socket) this.idle = undefined;
      socket.destroy();
    };
    const events = ['data', 'end', 'close'] as const;
    for (const event of events) socket.once(event, unusable);
    socket.resume();
    this.idle = { socket, takeOver: () => events.forEach((event) => socket.off(event, unusable)) };
  }
}

function requestHead(url: URL, options: RequestOptions): Buffer {
  const lines = [`${options.method} ${options.path || '/'} HTTP/1.1`];
  // One field per name, the last given winning: a configured User-Agent replaces outage's own.
  const byName = new Map(Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
  if (!byName.has('host')) lines.push(`host: ${url.host}`);
  for (const [name, value] of byName.values()) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new HttpRequestError(`request header name ${JSON.stringify(name)} is not a valid token`);
    if (/[\r\n\0]/.test(value)) throw new HttpRequestError(`request header ${name} has a line break or NUL in its value and cannot be sent`);
    lines.push(`${name}: ${value}`);
  }
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  if (!byName.has('content-length') && (body || ['POST', 'PUT', 'PATCH'].includes(options.method))) lines.push(`content-length: ${body?.length ?? 0}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/**
 * Write one request on `socket` and read its response. Resolves at the response head; the body
 * streams after it. `release(reusable)` is called once, when the socket is done with.
 */
function exchange(socket: Socket, head: Buffer, options: RequestOptions, progress: { received: boolean }, release: (reusable: boolean) => void): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const timer = options.timer;
    let body: Readable | undefined;
    let framing: Framing | undefined;
    let released = false;
    let reusable = true;
    const finish = (error?: Error) => {
      if (released) return;
      released = true;
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.off('close', onClose);
      options.signal.removeEventListener('abort', onAbort);
      if (error) {
        if (body) body.destroy(error);
        else reject(error);
      }
      release(!error && reusable);
    };
    const upgradeAsked = Object.keys(options.headers).some((name) => name.toLowerCase() === 'upgrade');
    const reader = new ResponseReader(options.method, {
      head: (parsed, bodyFraming) => {
        if (timer && reader.interimSeen) timer.finalHeadAt = performance.now();
        framing = bodyFraming;
        // After a 101 the connection speaks another protocol: never another HTTP request on it.
        reusable = framing.kind !== 'close' && parsed.status !== 101 && keepsAlive(parsed);
        body = new Readable({
          read: () => socket.resume(),
          destroy: (error, callback) => {
            // Dropped before its end (a body past the size cap, a redirect's): the socket is spent.
            if (!released) {
              reusable = false;
              finish();
            }
            callback(error);
          },
        });
        // The body may fail before its reader starts (bad framing right after the head): the reader
        // still sees the error through the stream's state, so this listener only prevents a crash.
        body.on('error', () => {});
        resolve({ statusCode: parsed.status, httpVersion: parsed.version, headers: parsed.headers, body, transferCodings: framing.kind === 'none' ? [] : framing.transferCodings });
      },
      data: (chunk) => {
        if (body && !body.push(chunk)) socket.pause();
      },
      end: (extra) => {
        if (extra) reusable = false;
        body?.push(null);
        finish();
      },
    }, upgradeAsked);
    const onData = (chunk: Buffer) => {
      progress.received = true;
      if (timer && timer.sentAt !== undefined) timer.firstByteAt ??= performance.now();
      try {
        reader.push(chunk);
      } catch (error) {
        finish(error as Error);
      }
    };
    const closed = () => {
      if (framing) return new HttpClosedError(`connection closed before ${UNTIL[framing.kind]}`, 'body');
      if (reader.inHead) return new HttpClosedError('connection closed in the middle of the response headers', 'headers');
      // A whole interim response (a 103 from a CDN, the origin behind it gone) is no head cut short.
      if (reader.lastInterim !== undefined) return new HttpClosedError(`connection closed after an interim ${reader.lastInterim} response, before the final one`, 'headers');
      return new HttpClosedError('connection closed before a response arrived', 'headers');
    };
    const onEnd = () => {
      if (!reader.finish()) finish(closed());
    };
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(closed());
    const onAbort = () => {
      finish(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      socket.destroy();
    };
    if (options.signal.aborted) return onAbort();
    if (socket.destroyed || socket.readableEnded || !socket.writable) return finish(new HttpClosedError('connection closed before the request was sent', 'headers'));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('close', onClose);
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.resume();
    socket.write(head);
    if (timer) timer.sentAt = performance.now();
  });
}
