/**
 * What node:http2 does not tell its user, read from the frame headers crossing the connection:
 *
 * - that its own client gave up on the connection. nghttp2 answers a broken server (a frame over
 *   the size it allows, DATA before HEADERS, a header block it cannot decode, an HTTP/1.1 reply)
 *   with a GOAWAY and then waits, and Node raises no event: the check would wait out its budget
 *   and call a server that broke the protocol a timeout;
 * - which side reset a stream. nghttp2 resets a malformed response (no `:status`, a forbidden
 *   header) with RST_STREAM itself, and Node reports it exactly as a reset from the server;
 * - whether the server ended a stream (END_STREAM). Node ends a stream's body cleanly when the
 *   connection closes or the server sends RST_STREAM NO_ERROR mid-body: a cut body would be read
 *   as the whole of it, where HTTP/1.1 says the connection closed before the body was complete.
 *
 * So the TLS socket is carried to node:http2 through this Duplex, which reads the 9-byte header
 * of each frame each way (RFC 9113 §4.1) and a few bytes of RST_STREAM and GOAWAY payloads.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

const TYPE = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7 } as const;
/**
 * Frames that cost outage work and carry no response (PING and SETTINGS must be acknowledged): a
 * legitimate server sends a handful in a check. Node's own flood check does not see them once
 * the connection runs through this Duplex, and a server sending them forever would keep outage's
 * event loop busy until the check blamed outage's own load. Past this many, the connection is given up.
 */
const MAX_CONTROL_FRAMES = 1000;
const ACK = 0x1;
const END_STREAM = 0x1;
/** The client's connection preface (RFC 9113 §3.4), before its first frame. */
const CLIENT_PREFACE_BYTES = 24;

export const H2_ERRORS = [
  'NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED', 'FRAME_SIZE_ERROR',
  'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR', 'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED',
];
export const CANCEL = 0x8;

export function h2ErrorName(code: number): string {
  return H2_ERRORS[code] ?? `error code ${code}`;
}

/** What outage's client ends a connection for (nghttp2's checks of the server's frames). */
const CONNECTION_ERRORS: Record<number, string> = {
  0x1: 'PROTOCOL_ERROR: a frame out of place, or not HTTP/2 at all',
  0x2: 'INTERNAL_ERROR: a header block in more CONTINUATION frames than nghttp2 takes, as for curl',
  0x3: 'FLOW_CONTROL_ERROR: more data than the flow-control window allows',
  0x6: 'FRAME_SIZE_ERROR: a frame larger than allowed, or not HTTP/2 at all',
  0x9: 'COMPRESSION_ERROR: a header block that cannot be decoded, or a field over 64 KiB',
};

export class WatchedConnection extends Duplex {
  /** Streams the server ended with END_STREAM: their bodies are whole. */
  readonly endedByServer = new Set<number>();
  /** Streams outage's client reset, with the error code it sent. */
  readonly resetByClient = new Map<number, number>();
  /** The error code of the GOAWAY outage's client sent, if it sent one: no request may follow. */
  clientGoaway?: number;
  /** Why the connection is beyond use: outage's client gave up on it, or the server flooded it. */
  broken?: string;
  /** Called once, when `broken` is set. */
  onBroken?: (reason: string) => void;
  private controlFrames = 0;
  private readonly inbound = new FrameHeaders(0, (type, flags, stream, _start, length) => {
    if ((type === TYPE.DATA || type === TYPE.HEADERS) && flags & END_STREAM) this.endedByServer.add(stream);
    const control =
      ((type === TYPE.PING || type === TYPE.SETTINGS) && !(flags & ACK)) || type === TYPE.PRIORITY || type === TYPE.RST_STREAM || (type === TYPE.DATA && length === 0 && !(flags & END_STREAM));
    if (control && ++this.controlFrames > MAX_CONTROL_FRAMES) this.break(`the server flooded the HTTP/2 connection (over ${MAX_CONTROL_FRAMES} PING, SETTINGS, PRIORITY, RST_STREAM or empty DATA frames)`);
  });
  private readonly outbound = new FrameHeaders(CLIENT_PREFACE_BYTES, (type, _flags, stream, start) => {
    if (type === TYPE.RST_STREAM && start.length >= 4) this.resetByClient.set(stream, start.readUInt32BE(0));
    if (type === TYPE.GOAWAY && start.length >= 8 && this.clientGoaway === undefined) {
      const code = start.readUInt32BE(4);
      this.clientGoaway = code;
      if (code !== 0) this.break(`the server broke the HTTP/2 protocol (${CONNECTION_ERRORS[code] ?? h2ErrorName(code)})`);
    }
  });

  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => {
      this.inbound.push(chunk);
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    // The same error object, so a TLS alert after the handshake is still classified as itself.
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  private break(reason: string): void {
    if (this.broken) return;
    this.broken = reason;
    queueMicrotask(() => this.onBroken?.(reason));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.outbound.push(chunk);
    if (this.socket.destroyed) return callback();
    this.socket.write(chunk, () => callback());
  }

  override _final(callback: () => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

/** Reads frame headers out of a byte stream in any chunking; payloads are skipped, not kept. */
class FrameHeaders {
  private header = Buffer.alloc(0);
  /** Bytes of the current payload still to skip; its first 8 bytes are kept for RST_STREAM/GOAWAY. */
  private remaining = 0;
  private start = Buffer.alloc(0);
  private frame?: { type: number; flags: number; stream: number; length: number };

  constructor(
    private skip: number,
    private readonly onFrame: (type: number, flags: number, stream: number, start: Buffer, length: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let offset = Math.min(this.skip, chunk.length);
    this.skip -= offset;
    while (offset < chunk.length) {
      if (this.frame) {
        const take = Math.min(this.remaining, chunk.length - offset);
        if (this.start.length < 8) this.start = Buffer.concat([this.start, chunk.subarray(offset, offset + Math.min(take, 8 - this.start.length))]);
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.complete();
        continue;
      }
      const take = Math.min(9 - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < 9) return;
      this.remaining = this.header.readUIntBE(0, 3);
      this.frame = { type: this.header[3]!, flags: this.header[4]!, stream: this.header.readUInt32BE(5) & 0x7fffffff, length: this.remaining };
      this.header = Buffer.alloc(0);
      if (this.remaining === 0) this.complete();
    }
  }

  private complete(): void {
    const { type, flags, stream, length } = this.frame!;
    this.frame = undefined;
    const start = this.start;
    this.start = Buffer.alloc(0);
    this.onFrame(type, flags, stream, start, length);
  }
}
