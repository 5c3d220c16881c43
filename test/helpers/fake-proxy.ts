/**
 * An in-test HTTP proxy that misbehaves on purpose: it reads a request head (CONNECT or an
 * absolute-form request) and lets the test decide what happens — an answer of its choosing,
 * silence, a closed connection, or an honest tunnel to a loopback port for names it knows (so a
 * test can use a name the proxy resolves and nothing else does).
 */
import { connect, type Socket } from 'node:net';
import { startTcp, type TestServer } from './servers.js';

export interface ProxyRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export type ProxyBehaviour = (request: ProxyRequest, socket: Socket, rest: Buffer) => void;

export interface FakeProxy extends TestServer {
  url: string;
  seen: ProxyRequest[];
}

export async function startFakeProxy(behaviour: ProxyBehaviour): Promise<FakeProxy> {
  const seen: ProxyRequest[] = [];
  const server = await startTcp((socket) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      const [line = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const [method = '', target = ''] = line.split(' ');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const request = { method, target, headers };
      seen.push(request);
      behaviour(request, socket, received.subarray(end + 4));
    };
    socket.on('data', onData);
    socket.on('error', () => {});
  });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}`, seen });
}

/** Answer with a status line, headers and a body, then close. */
export function answer(status: number, statusText: string, headers: Record<string, string> = {}, body = ''): ProxyBehaviour {
  return (_request, socket) => {
    const head = [`HTTP/1.1 ${status} ${statusText}`, ...Object.entries({ 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`)];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  };
}

/** Accept and never answer (the socket is closed when the server is). */
export const silent: ProxyBehaviour = () => {};

/** Close the connection without a word. */
export const hangUp: ProxyBehaviour = (_request, socket) => socket.destroy();

/**
 * An honest proxy for the names in `hosts` (name → loopback port; addresses map to themselves):
 * CONNECT opens a tunnel, answered with `established`; an absolute-form request is forwarded in origin form.
 */
export function forwardTo(hosts: Record<string, string>, established = 'HTTP/1.1 200 Connection established\r\n\r\n'): ProxyBehaviour {
  return (request, socket, rest) => {
    const url = request.method === 'CONNECT' ? new URL(`http://${request.target}`) : new URL(request.target);
    const host = hosts[url.hostname] ?? url.hostname;
    const upstream = connect({ host, port: Number(url.port) || 80 });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.once('connect', () => {
      if (request.method === 'CONNECT') {
        socket.write(established);
      } else {
        const headers = Object.entries(request.headers).filter(([name]) => name !== 'proxy-authorization');
        upstream.write(`${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
      }
      upstream.write(rest);
      socket.pipe(upstream).pipe(socket);
      socket.resume();
    });
  };
}
