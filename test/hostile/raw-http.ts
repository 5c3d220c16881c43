/**
 * A raw HTTP server for framing tests: it reads each request (line and headers) and writes the
 * exact bytes the test chooses — bare LFs, folded lines, ambiguous lengths — which node:http's
 * own server would refuse to send. Loopback, port 0.
 */
import type { Socket } from 'node:net';
import { expect } from 'vitest';
import { checkOne } from '../helpers/check.js';
import { startTcp, type TestServer } from '../helpers/servers.js';

export interface RawRequest {
  method: string;
  path: string;
  /** Lower-cased names; repeated fields joined with ", ". */
  headers: Record<string, string>;
}

export interface RawAnswer {
  bytes: string | Buffer;
  /** Keep the connection open after the answer (the default closes it, which ends any body). */
  keepOpen?: boolean;
}

export interface RawServer extends TestServer {
  url: string;
  seen: RawRequest[];
}

export async function rawHttp(answer: (request: RawRequest) => string | Buffer | RawAnswer): Promise<RawServer> {
  const seen: RawRequest[] = [];
  const server = await startTcp((socket: Socket) => {
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        const request = parseRequest(pending.slice(0, end));
        pending = pending.slice(end + 4);
        seen.push(request);
        const given = answer(request);
        const reply: RawAnswer = typeof given === 'string' || Buffer.isBuffer(given) ? { bytes: given } : given;
        const bytes = typeof reply.bytes === 'string' ? Buffer.from(reply.bytes, 'latin1') : reply.bytes;
        if (reply.keepOpen) socket.write(bytes);
        else socket.end(bytes);
      }
    });
  });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}`, seen });
}

function parseRequest(text: string): RawRequest {
  const [line = '', ...fields] = text.split('\r\n');
  const [method = '', path = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { method, path, headers };
}

/** An HTTP/1.1 response with CRLF line ends and a Content-Length, for the parts a test does not vary. */
export function response(status: string, headers: string[], body: string | Buffer = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const head = [`HTTP/1.1 ${status}`, ...headers, `Content-Length: ${bytes.length}`, '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

export interface Case {
  name: string;
  bytes: string | Buffer;
  keepOpen?: boolean;
  /** The service config beyond its URL. */
  service?: Record<string, unknown>;
  expect: [string, string | null];
  reason?: RegExp;
}

/** Check each case against its own raw server, all at once; compare [name, status, code] as a table. */
export function casesRunner(own: (server: RawServer) => RawServer): (cases: Case[]) => Promise<void> {
  return async (cases) => {
    const outcomes = await Promise.all(
      cases.map(async (c) => {
        const server = own(await rawHttp(() => ({ bytes: c.bytes, keepOpen: c.keepOpen })));
        return checkOne({ url: `${server.url}/`, ...c.service });
      }),
    );
    expect(outcomes.map((o, i) => [cases[i]!.name, o.status, o.code])).toEqual(cases.map((c) => [c.name, ...c.expect]));
    for (const [i, c] of cases.entries()) if (c.reason) expect(outcomes[i]!.reason, c.name).toMatch(c.reason);
  };
}
