import { beforeAll, describe, expect, it } from 'vitest';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type SecureServerOptions, type ServerHttp2Session } from 'node:http2';
import { gzipSync } from 'node:zlib';
import { testPki, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { startHttp, startTcp } from '../helpers/servers.js';
import { connect } from 'node:net';
import { check } from '../../src/check.js';
import { forwardTo, startFakeProxy } from '../helpers/fake-proxy.js';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { Http2Client } from '../../src/probes/http/http2-client.js';
import { closeAfterAll } from '../helpers/own.js';

let pki: TestPki;
const own = closeAfterAll();

beforeAll(async () => {
  pki = await testPki();
});

async function h2Only(handler: (req: Http2ServerRequest, res: Http2ServerResponse) => void, host = '127.0.0.1', options: SecureServerOptions = {}): Promise<number> {
  const server = createSecureServer({ ...pki.valid, allowHTTP1: false, ...options }, handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  // A server session that sent GOAWAY outlives its closed connection in node:http2; close() would wait on it.
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => sessions.add(session));
  own({
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  });
  return (server.address() as { port: number }).port;
}

describe('HTTP/2-only origins behind redirects', () => {
  it('http:// redirecting to an HTTP/2-only https:// origin is up', async () => {
    const h2 = await h2Only((_req, res) => res.end('h2 ok'));
    const plain = own(await startHttp((_req, res) => {
      res.writeHead(301, { location: `https://localhost:${h2}/` });
      res.end();
    }));
    const result = await checkOne({ url: `http://127.0.0.1:${plain.port}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'h2 ok' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'http').details).toMatchObject({ status: 200, httpVersion: 20 });
  });

  it('an HTTP/2-only origin redirecting to another HTTP/2-only origin is up', async () => {
    const second = await h2Only((_req, res) => res.end('second'));
    const first = await h2Only((_req, res) => {
      res.writeHead(302, { location: `https://localhost:${second}/` });
      res.end();
    });
    const result = await checkOne({ url: `https://localhost:${first}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'second' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('an HTTP/2-only origin on IPv6 redirecting to another is up', async () => {
    const second = await h2Only((_req, res) => res.end('v6'), '::1');
    const first = await h2Only((_req, res) => {
      res.writeHead(302, { location: `https://[::1]:${second}/` });
      res.end();
    }, '::1');
    const result = await checkOne({ url: `https://[::1]:${first}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'v6' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('a gzip body over HTTP/2 is decoded for a content check', async () => {
    const port = await h2Only((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      res.end(gzipSync('hello from h2'));
    });
    const result = await checkOne({ url: `https://localhost:${port}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'hello from h2' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('an HTTP/2-only origin that never answers is http.timeout within the budget', async () => {
    const port = await h2Only(() => {});
    const started = performance.now();
    const result = await checkOne({ url: `https://localhost:${port}/`, tls: { ca: pki.rootFile }, timeout: '500ms' });
    expect(result).toMatchObject({ status: 'down', code: 'http.timeout' });
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('a body over the cap over HTTP/2 is read up to the cap', async () => {
    const port = await h2Only((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(3_000_000) + 'needle');
    });
    const result = await checkOne({ url: `https://localhost:${port}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'xxx' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });
  it('an HTTP/2-only origin that sends GOAWAY after a redirect is asked again on a new connection', async () => {
    const port = await h2Only((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end(() => req.stream.session?.goaway());
        return;
      }
      res.end('new');
    });
    const result = await checkOne({ url: `https://localhost:${port}/old`, tls: { ca: pki.rootFile }, http: { expect: { body: 'new' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('HTTP/2-only to HTTP/1.1 and back to the HTTP/2-only origin is up', async () => {
    let h2 = 0;
    const plain = own(await startHttp((_req, res) => {
      res.writeHead(302, { location: `https://localhost:${h2}/back` });
      res.end();
    }));
    h2 = await h2Only((req, res) => {
      if (req.url === '/back') return res.end('back');
      res.writeHead(302, { location: `http://127.0.0.1:${plain.port}/` });
      res.end();
    });
    const result = await checkOne({ url: `https://localhost:${h2}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'back' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('an HTTP/2-only server whose h2 connection never answers is tls.handshake_timeout, not the refusal of http/1.1', async () => {
    const port = await h2Only((_req, res) => res.end('ok'));
    let connections = 0;
    // The first connection reaches the server (and is refused http/1.1); the second is accepted and never answered.
    const gate = own(await startTcp((client) => {
      client.on('error', () => {});
      if (++connections > 1) return;
      const upstream = connect(port, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    }));
    const result = await checkOne({ url: `https://localhost:${gate.port}/`, tls: { ca: pki.rootFile }, timeout: '500ms' });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_timeout' });
    expect(connections).toBe(2);
  });

  it('a server that refuses http/1.1 and h2 alike is tls.handshake_failed, naming the alert', async () => {
    const server = createTlsServer({ ...pki.valid, ALPNProtocols: ['spdy/3.1'] }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    own({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const result = await checkOne({ url: `https://localhost:${(server.address() as { port: number }).port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_failed' });
    expect(result.reason).toMatch(/no application protocol/);
  });

  it('an HTTP/2-only origin through an HTTP proxy (CONNECT), directly and behind a redirect, is up', async () => {
    const second = await h2Only((_req, res) => res.end('proxied h2'));
    const first = await h2Only((_req, res) => {
      res.writeHead(302, { location: `https://localhost:${second}/` });
      res.end();
    });
    const proxy = own(await startFakeProxy(forwardTo({ localhost: '127.0.0.1' })));
    const config = { defaults: { timeout: '3s', retries: 0, proxy: proxy.url }, services: [{ name: 'svc', url: `https://localhost:${first}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'proxied h2' } } }] };
    const report = await check({ config, env: {}, canaries: false });
    expect(report.services[0]).toMatchObject({ status: 'up', code: null });
    expect(proxy.seen.filter((r) => r.method === 'CONNECT').length).toBeGreaterThanOrEqual(2);
  });
});

describe('HTTP/2-only timing', () => {
  it('the handshake refused for http/1.1 is not the service\'s time: 800 ms each way is not http.slow under the 2s default', async () => {
    const port = await h2Only((_req, res) => res.end('ok'));
    // Everything the server sends arrives 800 ms late: one handshake and one response are 1.6 s, as curl measures.
    const delayed = own(await startTcp((client) => {
      const upstream = connect(port, '127.0.0.1');
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => setTimeout(() => client.writable && client.write(chunk), 800));
      const close = () => setTimeout(() => (client.destroy(), upstream.destroy()), 850);
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    }));
    const result = await checkOne({ url: `https://localhost:${delayed.port}/`, tls: { ca: pki.rootFile }, timeout: '8s' });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'http').details).toMatchObject({ httpVersion: 20 });
  });
});

describe('HTTP/2-only requests and responses as browsers and curl make and take them', () => {
  // node:http2's client takes 128 header fields by default; browsers and outage over HTTP/1.1 take
  // 256 KiB of headers however many fields, so the same site over HTTP/2 must not be down.
  it('a response with 300 header fields (many Set-Cookie, Link preloads) is up', async () => {
    const port = await h2Only(
      (_req, res) => {
        const fields: Record<string, string> = {};
        for (let i = 0; i < 300; i++) fields[`x-field-${i}`] = 'v';
        res.writeHead(200, fields);
        res.end('many fields');
      },
      '127.0.0.1',
      { maxHeaderListPairs: 4000 },
    );
    const result = await checkOne({ url: `https://localhost:${port}/`, tls: { ca: pki.rootFile }, http: { expect: { body: 'many fields' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  // HTTP/2 allows TE only as `trailers` (RFC 9113 §8.2.2); curl drops any other value rather than
  // fail, so a header configured for HTTP/1.1 servers must not make the HTTP/2-only one down.
  it('a configured TE header other than trailers is left out, not a request that cannot be sent', async () => {
    const seen: (string | undefined)[] = [];
    const port = await h2Only((req, res) => {
      seen.push(req.headers.te as string | undefined);
      res.end('te ok');
    });
    const url = `https://localhost:${port}/`;
    const dropped = await checkOne({ url, tls: { ca: pki.rootFile }, http: { headers: { TE: 'gzip' }, expect: { body: 'te ok' } } });
    expect(dropped).toMatchObject({ status: 'up', code: null });
    const kept = await checkOne({ url, tls: { ca: pki.rootFile }, http: { headers: { TE: 'gzip, trailers' }, expect: { body: 'te ok' } } });
    expect(kept).toMatchObject({ status: 'up', code: null });
    expect(seen).toEqual([undefined, 'trailers']);
  });

  // :authority is what Host is in HTTP/1.1, and servers route on it: an Envoy virtual host for
  // `api.example.com` does not match `api.example.com:443` (a 404, so a false down), and `::1:8443`
  // is no host at all. node:http2 writes host:port always, and an IPv6 address without brackets.
  it('an IPv6 origin is named in brackets in :authority, as the Host header names it', async () => {
    const seen: unknown[] = [];
    const port = await h2Only((req, res) => {
      seen.push(req.headers[':authority']);
      res.end('v6');
    }, '::1');
    const result = await checkOne({ url: `https://[::1]:${port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(seen).toEqual([`[::1]:${port}`]);
  });

  it('the default port is left out of :authority (https://host, not host:443)', async () => {
    const port = await h2Only((req, res) => res.end(String(req.headers[':authority'])));
    // The origin says 443; the socket reaches the test server wherever it listens.
    const socket = connectTls({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.root.certPem, ALPNProtocols: ['h2'] });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    const client = new Http2Client('https://localhost', socket);
    try {
      const response = await client.request({ method: 'GET', path: '/', headers: {}, signal: new AbortController().signal });
      let text = '';
      for await (const chunk of response.body) text += String(chunk);
      expect(text).toBe('localhost');
    } finally {
      await client.destroy();
    }
  });
});
