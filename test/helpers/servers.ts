/**
 * Loopback servers for tests, each on port 0 and closed by the test. HTTPS servers count TCP
 * connections and completed TLS handshakes, so tests can assert what a check cost the server.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ServerIdentity } from './certs.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  port: number;
  url: string;
  connections: number;
  handshakes: number;
  /** Handshakes that resumed a session: a resumed session shows no certificate to judge. */
  resumed: number;
  requests: number;
  close(): Promise<void>;
}

function track(server: Server | ReturnType<typeof createTcp>, scheme: string, host = '127.0.0.1', port = 0, backlog = 511): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state: TestServer = {
    port: 0,
    url: '',
    connections: 0,
    handshakes: 0,
    resumed: 0,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    state.handshakes++;
    if (socket.isSessionReused()) state.resumed++;
  });
  server.on('request', () => state.requests++);
  return new Promise((resolve) => {
    server.listen({ port, host, backlog }, () => {
      state.port = (server.address() as AddressInfo).port;
      state.url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${state.port}`;
      resolve(state);
    });
  });
}

export function startHttp(handler: Handler, host?: string, port?: number): Promise<TestServer> {
  return track(createHttp(handler), 'http', host, port);
}

/** `backlog`: the benchmark opens thousands of connections at once; the default (511) would drop SYNs. */
export function startHttps(identity: ServerIdentity, handler: Handler, host?: string, backlog?: number): Promise<TestServer> {
  return track(createHttps({ ...identity }, handler), 'https', host, 0, backlog);
}

/** A raw TCP server for protocol-level misbehaviour (banners, resets, silence). */
export function startTcp(onConnection: (socket: Socket) => void, host?: string): Promise<TestServer> {
  const server = createTcp(onConnection);
  return track(server, 'tcp', host);
}

export const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
};

export function respond(status: number, body = '', headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
}

export function delayed(ms: number, handler: Handler = ok): Handler {
  return (req, res) => {
    const timer = setTimeout(() => handler(req, res), ms);
    res.on('close', () => clearTimeout(timer));
  };
}

/** A port with nothing listening: bind, read the port, close. */
export async function closedPort(): Promise<number> {
  const server = createTcp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

