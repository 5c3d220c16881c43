/** Servers that misbehave in every way an outage checker meets in the wild. */
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { identity, testPki, type TestPki } from '../helpers/certs.js';
import { startDns, tableZone } from '../helpers/dns-server.js';
import { closedPort, ok, respond, startHttp, startHttps, startTcp, type Handler, type TestServer } from '../helpers/servers.js';

export interface Hostile {
  name: string;
  /** The service config, minus its name. */
  service: Record<string, unknown>;
  /** Acceptable [status, code] outcomes. */
  expect: [string, string | null];
}

const endless: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(2 * 1024 ** 3) });
  const chunk = Buffer.alloc(64 * 1024, 120);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
};

const trickle: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const timer = setInterval(() => res.write('.'), 1000);
  res.on('close', () => clearInterval(timer));
};

const hangMidBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-length': '100000' });
  res.write('partial');
};

let hop = 0;
const longChain: Handler = (req, res) => {
  const n = Number(req.url?.slice(1)) || 0;
  hop = Math.max(hop, n);
  res.writeHead(302, { location: `/${n + 1}` });
  res.end();
};

const raw = (text: string | Buffer, end = true) => (socket: Socket) => {
  socket.on('error', () => {});
  socket.once('data', () => (end ? socket.end(text) : socket.write(text)));
};

export async function startHostile(pki: TestPki, dnsAddress: string, ipv6Port: () => number): Promise<{ servers: TestServer[]; targets: Hostile[] }> {
  const servers: TestServer[] = [];
  const own = async (server: Promise<TestServer>) => {
    const s = await server;
    servers.push(s);
    return s;
  };
  const http = async (handler: Handler) => (await own(startHttp(handler))).url;
  const https = async (id: keyof TestPki, handler: Handler = ok) => `https://localhost:${(await own(startHttps(pki[id] as ReturnType<typeof identity>, handler))).port}/`;
  const tcp = async (onConnection: (socket: Socket) => void) => (await own(startTcp(onConnection))).port;
  const auth: Handler = (req, res) => (req.headers.authorization === `Basic ${Buffer.from('admin:s3cr3t-pw').toString('base64')}` ? ok(req, res) : respond(401)(req, res));
  const resolvers = [dnsAddress];
  const loopPort = await tcp(() => {});
  const bigHeaders = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(300 * 1024)}\r\ncontent-length: 2\r\n\r\nok`;
  const expiredTls = await https('expired');
  const webPort = Number(new URL(await http(ok)).port);

  const targets: Hostile[] = [
    { name: 'hang before headers', service: { url: await http(() => {}) }, expect: ['down', 'http.timeout'] },
    { name: 'hang mid-body', service: { url: await http(hangMidBody) }, expect: ['down', 'http.body_timeout'] },
    { name: 'trickle 1 byte/s', service: { url: await http(trickle) }, expect: ['down', 'http.body_timeout'] },
    { name: '2 GB body', service: { url: await http(endless) }, expect: ['up', null] },
    { name: 'gzip bomb', service: { url: await http((_q, res) => { res.writeHead(200, { 'content-encoding': 'gzip' }); res.end(gzipSync(Buffer.alloc(64 * 1024 * 1024))); }), http: { expect: { body: 'never there' } } }, expect: ['down', 'http.body_mismatch'] },
    { name: 'redirect loop', service: { url: `${await http((req, res) => { res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }); res.end(); })}/a` }, expect: ['down', 'http.too_many_redirects'] },
    { name: '1000-hop redirect chain', service: { url: `${await http(longChain)}/0`, http: { followRedirects: 50 } }, expect: ['down', 'http.too_many_redirects'] },
    { name: 'redirect to https with a bad certificate', service: { url: await http(respond(302, '', { location: expiredTls })) }, expect: ['down', 'tls.expired'] },
    { name: 'non-HTTP banner', service: { url: `http://127.0.0.1:${await tcp(raw('SSH-2.0-OpenSSH_9.6\r\n', false))}/` }, expect: ['down', 'http.protocol'] },
    { name: 'HTTP/1.0 without length', service: { url: `http://127.0.0.1:${await tcp(raw('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nhello until close'))}/`, http: { expect: { body: 'until close' } } }, expect: ['up', null] },
    { name: 'response headers over 256 KiB', service: { url: `http://127.0.0.1:${await tcp(raw(bigHeaders))}/` }, expect: ['down', 'http.protocol'] },
    { name: 'reset after the request', service: { url: `http://127.0.0.1:${await tcp((s) => { s.on('error', () => {}); s.once('data', () => s.resetAndDestroy()); })}/` }, expect: ['down', 'http.reset'] },
    { name: 'TLS port that never answers the handshake', service: { url: `https://127.0.0.1:${loopPort}/` }, expect: ['down', 'tls.handshake_timeout'] },
    { name: 'reset mid-handshake', service: { url: `https://127.0.0.1:${await tcp((s) => { s.on('error', () => {}); s.once('data', () => s.resetAndDestroy()); })}/` }, expect: ['down', 'tls.handshake_failed'] },
    { name: 'plain HTTP on an https URL', service: { url: `https://127.0.0.1:${webPort}/` }, expect: ['down', 'tls.handshake_failed'] },
    { name: 'expired certificate', service: { url: expiredTls }, expect: ['down', 'tls.expired'] },
    { name: 'self-signed certificate', service: { url: await https('selfSigned') }, expect: ['down', 'tls.untrusted'] },
    { name: 'wrong-host certificate', service: { url: await https('wrongHost') }, expect: ['down', 'tls.hostname_mismatch'] },
    { name: 'certificate not yet valid', service: { url: await https('notYetValid') }, expect: ['down', 'tls.not_yet_valid'] },
    { name: 'valid https', service: { url: await https('valid') }, expect: ['up', null] },
    { name: 'DNS truncated (TCP fallback)', service: { url: `http://truncated.test:${webPort}/`, resolvers }, expect: ['up', null] },
    { name: 'DNS 500 records', service: { url: `http://many.test:${webPort}/`, resolvers }, expect: ['up', null] },
    { name: 'DNS empty answer', service: { url: `http://empty.test:${webPort}/`, resolvers }, expect: ['down', 'dns.nodata'] },
    { name: 'DNS never answers', service: { url: `http://silent.test:${webPort}/`, resolvers }, expect: ['down', 'dns.timeout'] },
    { name: 'DNS SERVFAIL', service: { url: `http://servfail.test:${webPort}/`, resolvers }, expect: ['down', 'dns.servfail'] },
    { name: 'NXDOMAIN', service: { url: `http://nosuch.test:${webPort}/`, resolvers }, expect: ['down', 'dns.nxdomain'] },
    { name: 'IPv6-only host', service: { url: `http://v6only.test:${ipv6Port()}/`, resolvers }, expect: ['up', null] },
    { name: 'IDN host name', service: { url: `http://bücher.test:${webPort}/`, resolvers }, expect: ['up', null] },
    { name: 'URL with user:password', service: { url: (await http(auth)).replace('http://', 'http://admin:s3cr3t-pw@') }, expect: ['up', null] },
    { name: 'connection refused', service: { url: `http://127.0.0.1:${await closedPort()}/` }, expect: ['down', 'tcp.refused'] },
    { name: '503', service: { url: await http(respond(503)) }, expect: ['down', 'http.status'] },
    // Issue 12, classes 1–3 (each in full in http-framing, http-redirects and http-bodies.test.ts).
    { name: 'unsolicited 100 Continue, bare LF', service: { url: `http://127.0.0.1:${await tcp(raw('HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok'))}/` }, expect: ['up', null] },
    { name: 'Content-Length with chunked', service: { url: `http://127.0.0.1:${await tcp(raw('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'))}/` }, expect: ['down', 'http.protocol'] },
    { name: 'redirect to javascript:', service: { url: await http(respond(302, '', { location: 'javascript:alert(1)' })) }, expect: ['down', 'http.bad_redirect'] },
    { name: 'cookie-check redirect', service: { url: await http((req, res) => (req.headers.cookie === 'seen=1' ? ok(req, res) : respond(302, '', { 'set-cookie': 'seen=1', location: '/' })(req, res))) }, expect: ['up', null] },
    { name: 'corrupt gzip under a content check', service: { url: await http((_q, res) => { res.writeHead(200, { 'content-encoding': 'gzip' }); res.end(Buffer.from(gzipSync('hello')).fill(0x41, 10, 20)); }), http: { expect: { body: 'hello' } } }, expect: ['down', 'http.protocol'] },
    { name: 'latin1 page under a content check', service: { url: await http((_q, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }); res.end(Buffer.from('café', 'latin1')); }), http: { expect: { body: 'café' } } }, expect: ['up', null] },
  ];
  return { servers, targets };
}

export function longestRedirectFollowed(): number {
  return hop;
}

export interface HostileWorld {
  targets: Hostile[];
  /** The test root: NODE_EXTRA_CA_CERTS for the run, so the valid certificate is trusted. */
  caFile: string;
  close(): Promise<void>;
}

/** Every hostile server with what it needs: a DNS server that misbehaves by name, and an IPv6 host. */
export async function startHostileWorld(): Promise<HostileWorld> {
  const pki = await testPki();
  const v6 = await startHttp(ok, '::1');
  const dns = await startDns(
    tableZone({
      'truncated.test': { A: ['127.0.0.1'], truncateUdp: true },
      'many.test': { A: ['127.0.0.1', ...Array.from({ length: 499 }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`)] },
      'empty.test': {},
      'silent.test': 'drop',
      'servfail.test': { rcode: 'SERVFAIL' },
      'v6only.test': { AAAA: ['::1'] },
      'xn--bcher-kva.test': { A: ['127.0.0.1'] },
    }),
  );
  const { servers, targets } = await startHostile(pki, dns.address, () => v6.port);
  return { targets, caFile: pki.rootFile, close: async () => void (await Promise.all([...servers.map((s) => s.close()), dns.close(), v6.close()])) };
}
