/**
 * A raw HTTP/2-only server for hostile tests: TLS on loopback offering only `h2` in ALPN (so
 * outage's http/1.1 offer is refused and it asks again offering h2), writing frames the test
 * chooses byte by byte — misbehaviour node:http2's own server would never produce.
 */
import { createServer, type TLSSocket } from 'node:tls';
import type { TestPki } from '../helpers/certs.js';

export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
export const FLAG = { END_STREAM: 1, ACK: 1, END_HEADERS: 4 } as const;
/** SETTINGS_MAX_FRAME_SIZE's initial value (RFC 9113 §6.5.2): what a client accepts unless it says more. */
const MAX_FRAME = 16_384;

export interface H2Connection {
  socket: TLSSocket;
  /** Writes one frame; returns false once the connection is gone. */
  frame(type: number, flags: number, stream: number, payload?: Buffer): boolean;
  /** A SETTINGS frame: identifier → value (RFC 9113 §6.5.2). */
  settings(values?: Record<number, number>): boolean;
  /** `fields` as HPACK literals (never indexed): one HEADERS frame, then CONTINUATIONs past 16 KiB. */
  headers(stream: number, fields: [string, string][], endStream?: boolean): void;
  data(stream: number, body: Buffer | string, endStream?: boolean): boolean;
}

export interface RawH2Options {
  /** Send the server's SETTINGS as soon as the client's preface arrives (default true), with these values. */
  settings?: boolean | Record<number, number>;
  /** Called for each request the client opens (its HEADERS frame), with the request's stream id. */
  request?: (connection: H2Connection, stream: number, index: number) => void;
  /** Called for every frame the client sends, after the preface. */
  onFrame?: (connection: H2Connection, type: number, flags: number, stream: number, payload: Buffer) => void;
}

export interface RawH2Server {
  port: number;
  url: string;
  /** Connections accepted after the h2 handshake, those still open, and requests over all of them. */
  stats: { connections: number; open: number; requests: number };
  close(): Promise<void>;
}

export async function rawH2(pki: TestPki, options: RawH2Options): Promise<RawH2Server> {
  const stats = { connections: 0, open: 0, requests: 0 };
  const sockets = new Set<TLSSocket>();
  const server = createServer({ ...pki.valid, ALPNProtocols: ['h2'] }, (socket) => {
    sockets.add(socket);
    stats.open++;
    socket.on('close', () => {
      sockets.delete(socket);
      stats.open--;
    });
    socket.on('error', () => {});
    stats.connections++;
    const connection = h2Connection(socket);
    let pending = Buffer.alloc(0);
    let prefaceSeen = false;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!prefaceSeen) {
        if (pending.length < 24) return;
        pending = pending.subarray(24);
        prefaceSeen = true;
        if (options.settings !== false) connection.settings(options.settings === true ? {} : options.settings);
      }
      while (pending.length >= 9) {
        const length = pending.readUIntBE(0, 3);
        if (pending.length < 9 + length) return;
        const [type, flags] = [pending[3]!, pending[4]!];
        const stream = pending.readUInt32BE(5) & 0x7fffffff;
        const payload = pending.subarray(9, 9 + length);
        pending = pending.subarray(9 + length);
        if (type === FRAME.SETTINGS && !(flags & FLAG.ACK) && options.settings !== false) connection.frame(FRAME.SETTINGS, FLAG.ACK, 0);
        options.onFrame?.(connection, type, flags, stream, payload);
        if (type === FRAME.HEADERS) options.request?.(connection, stream, stats.requests++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `https://localhost:${port}/`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function h2Connection(socket: TLSSocket): H2Connection {
  const frame = (type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)) => {
    if (socket.destroyed || !socket.writable) return false;
    const head = Buffer.alloc(9);
    head.writeUIntBE(payload.length, 0, 3);
    head[3] = type;
    head[4] = flags;
    head.writeUInt32BE(stream, 5);
    socket.write(Buffer.concat([head, payload]));
    return true;
  };
  return {
    socket,
    frame,
    settings: (values = {}) => {
      const entries = Object.entries(values);
      const payload = Buffer.alloc(6 * entries.length);
      entries.forEach(([id, value], i) => {
        payload.writeUInt16BE(Number(id), 6 * i);
        payload.writeUInt32BE(value, 6 * i + 2);
      });
      return frame(FRAME.SETTINGS, 0, 0, payload);
    },
    headers: (stream, fields, endStream = false) => {
      const block = hpack(fields);
      const count = Math.max(1, Math.ceil(block.length / MAX_FRAME));
      for (let i = 0; i < count; i++) {
        const flags = (i === count - 1 ? FLAG.END_HEADERS : 0) | (i === 0 && endStream ? FLAG.END_STREAM : 0);
        frame(i === 0 ? FRAME.HEADERS : FRAME.CONTINUATION, flags, stream, block.subarray(i * MAX_FRAME, (i + 1) * MAX_FRAME));
      }
    },
    data: (stream, body, endStream = false) => frame(FRAME.DATA, endStream ? FLAG.END_STREAM : 0, stream, Buffer.from(body)),
  };
}

/** HPACK "literal header field without indexing — new name" for each field (RFC 7541 §6.2.2). */
export function hpack(fields: [string, string][]): Buffer {
  return Buffer.concat(fields.flatMap(([name, value]) => [Buffer.from([0]), hpackString(name), hpackString(value)]));
}

function hpackString(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return Buffer.concat([hpackInteger(bytes.length, 7), bytes]);
}

function hpackInteger(value: number, prefix: number): Buffer {
  const max = (1 << prefix) - 1;
  if (value < max) return Buffer.from([value]);
  const out = [max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return Buffer.from(out);
}
