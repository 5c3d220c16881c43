/**
 * The client for an origin the check reaches over a connection it opens itself (a redirect hop to
 * another origin), or whose HTTP/2 connection is gone: the connection is opened first, and the
 * protocol the server chose in ALPN picks the client. An HTTP/2-only origin refuses http/1.1 and
 * is asked again offering h2 (startTlsOrH2), so behind a redirect it is checked as the first hop's
 * is, not called tls.handshake_failed — `http://` to an HTTP/2-only `https://` is the common case.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Http1Client, type Connector, type HttpResponse, type OriginClient, type RequestOptions } from './client.js';
import { Http2Client } from './http2-client.js';

export class NegotiatedClient implements OriginClient {
  constructor(
    private readonly origin: string,
    private readonly connect: Connector,
    /** An HTTP/2 client already open on the TLS probe's socket (the first hop). */
    private client?: OriginClient,
  ) {}

  async request(options: RequestOptions): Promise<HttpResponse> {
    // A GOAWAY or a closed connection ends an HTTP/2 session: the next request opens another, as
    // Http1Client opens another connection when the server closed the last one.
    if (this.client instanceof Http2Client && !this.client.usable) {
      void this.client.destroy();
      this.client = undefined;
    }
    this.client ??= this.clientOver(await this.open());
    try {
      return await this.client.request(options);
    } catch (error) {
      // An HTTP/2 request the server did not process (GOAWAY, REFUSED_STREAM) is sent once more.
      if (!(error as { unprocessed?: boolean }).unprocessed || options.signal.aborted) throw error;
      void this.client.destroy();
      this.client = this.clientOver(await this.open());
      return this.client.request(options);
    }
  }

  destroy(): Promise<void> {
    return this.client?.destroy() ?? Promise.resolve();
  }

  private open(): Promise<Socket> {
    const { protocol, host, hostname, port } = new URL(this.origin);
    return new Promise((resolve, reject) => {
      this.connect({ protocol, host, hostname, port }, (error, socket) => (error || !socket ? reject(error ?? new Error('no socket')) : resolve(socket)));
    });
  }

  private clientOver(socket: Socket): OriginClient {
    if ((socket as TLSSocket).alpnProtocol === 'h2') return new Http2Client(this.origin, socket);
    let handOver: Socket | undefined = socket;
    return new Http1Client(this.origin, {
      connect: (options, callback) => {
        const ready = handOver;
        handOver = undefined;
        if (ready && !ready.destroyed) callback(null, ready);
        else this.connect(options, callback);
      },
    });
  }
}
