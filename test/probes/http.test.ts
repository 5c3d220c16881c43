import { brotliCompressSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { delayed, ok, respond, startHttp, startHttps, startTcp, type Handler, type TestServer } from '../helpers/servers.js';
import { closeAfterAll } from '../helpers/own.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

async function http(handler: Handler): Promise<TestServer> {
  const server = await startHttp(handler);
  own(server);
  return server;
}

describe('http probe', () => {
  it('a 200 is up with per-phase timings', async () => {
    const server = await http(ok);
    const result = await checkOne({ url: `${server.url}/health` });
    expect(result).toMatchObject({ status: 'up', code: null });
    const h = probe(result, 'http');
    expect(h.details.status).toBe(200);
    expect(h.timings).toMatchObject({ ttfb: expect.any(Number), transfer: expect.any(Number), total: expect.any(Number) });
  });

  it('total is network time: the sum of its phases, never outage\'s own work between them', async () => {
    const server = await startHttps(pki.valid, delayed(40));
    own(server);
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    const t = probe(result, 'http').timings;
    expect(t).toBeDefined();
    const phases = (t?.dns ?? 0) + (t?.connect ?? 0) + (t?.tls ?? 0) + (t?.ttfb ?? 0) + (t?.transfer ?? 0);
    // Each phase is rounded to 0.1 ms in the report.
    expect(Math.abs((t?.total ?? 0) - phases)).toBeLessThanOrEqual(0.3);
    // The server's 40 ms timer runs on libuv's millisecond clock, which can fire it up to 1 ms
    // early by the high-resolution clock the probe measures with.
    expect(t?.ttfb).toBeGreaterThanOrEqual(39);
  });

  it('a 503 is down with http.status', async () => {
    const server = await http(respond(503, 'unavailable'));
    const result = await checkOne({ url: server.url });
    expect(result).toMatchObject({ status: 'down', code: 'http.status' });
    expect(result.reason).toContain('HTTP 503');
  });

  it('expect.status accepts lists and ranges', async () => {
    const server = await http(respond(404));
    expect((await checkOne({ url: server.url, http: { expect: { status: [200, '400-404'] } } })).status).toBe('up');
    expect((await checkOne({ url: server.url, http: { expect: { status: '2xx' } } })).code).toBe('http.status');
  });

  it('a body without the expected text is http.body_mismatch, even with 200', async () => {
    const server = await http(respond(200, '{"ok":false,"error":"not_authed"}'));
    const result = await checkOne({ url: server.url, http: { expect: { body: '"ok":true' } } });
    expect(result).toMatchObject({ status: 'down', code: 'http.body_mismatch' });
    const regex = await checkOne({ url: server.url, http: { expect: { bodyRegex: '"ok":\\s*false' } } });
    expect(regex.status).toBe('up');
  });

  it('gzip and brotli bodies are decoded before matching', async () => {
    const gz = await http((_q, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('hello compressed world'));
    });
    const br = await http((_q, res) => {
      res.writeHead(200, { 'content-encoding': 'br' });
      res.end(brotliCompressSync('hello brotli world'));
    });
    expect((await checkOne({ url: gz.url, http: { expect: { body: 'compressed world' } } })).status).toBe('up');
    expect((await checkOne({ url: br.url, http: { expect: { body: 'brotli world' } } })).status).toBe('up');
  });

  it('slower than the latency threshold is degraded http.slow', async () => {
    const server = await http(delayed(150));
    const result = await checkOne({ url: server.url, latency: { degraded: '50ms' } });
    expect(result).toMatchObject({ status: 'degraded', code: 'http.slow' });
  });

  it('a final response long after an early 103 or 100 counts the wait: a slow origin behind Early Hints is http.slow', async () => {
    // CDNs answer 103 Early Hints at once and the origin's response follows: the page is as slow
    // as that response, as curl's time_total and a browser's load say, not as fast as the hint.
    for (const interim of ['103 Early Hints\r\nLink: </app.css>; rel=preload', '100 Continue']) {
      const server = own(
        await startTcp((socket) =>
          socket.once('data', () => {
            socket.write(`HTTP/1.1 ${interim}\r\n\r\n`);
            setTimeout(() => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 400);
          }),
        ),
      );
      const result = await checkOne({ url: `http://127.0.0.1:${server.port}/`, latency: { degraded: '250ms' } });
      expect(result).toMatchObject({ status: 'degraded', code: 'http.slow' });
      expect(probe(result, 'http').timings?.total).toBeGreaterThanOrEqual(400);
    }
  });

  it('no response headers within the timeout is http.timeout', async () => {
    const server = await http(() => {});
    const result = await checkOne({ url: server.url, timeout: '300ms' });
    expect(result).toMatchObject({ status: 'down', code: 'http.timeout' });
  });

  it('a body that stalls mid-way is http.body_timeout', async () => {
    const server = await http((_q, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
    });
    const result = await checkOne({ url: server.url, timeout: '300ms' });
    expect(result).toMatchObject({ status: 'down', code: 'http.body_timeout' });
  });

  it('a connection closed before the response is http.reset', async () => {
    const server = await startTcp((socket) => socket.once('data', () => socket.destroy()));
    own(server);
    const result = await checkOne({ url: `http://127.0.0.1:${server.port}/` });
    expect(result).toMatchObject({ status: 'down', code: 'http.reset' });
  });

  it('a non-HTTP banner is http.protocol', async () => {
    const server = await startTcp((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    own(server);
    const result = await checkOne({ url: `http://127.0.0.1:${server.port}/` });
    expect(result).toMatchObject({ status: 'down', code: 'http.protocol' });
  });

  it('redirects are followed and each hop recorded', async () => {
    const target = await http(ok);
    const start = await http(respond(302, '', { location: `${target.url}/final` }));
    const result = await checkOne({ url: `${start.url}/start` });
    expect(result.status).toBe('up');
    const hops = probe(result, 'http').details.hops as { url: string; status: number }[];
    expect(hops.map((h) => h.status)).toEqual([302, 200]);
    expect(hops[1]?.url).toBe(`${target.url}/final`);
  });

  it('a redirect loop is http.too_many_redirects', async () => {
    const loop = await http((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const result = await checkOne({ url: `${loop.url}/a`, http: { followRedirects: 3 } });
    expect(result).toMatchObject({ status: 'down', code: 'http.too_many_redirects' });
    expect(probe(result, 'http').details.hops).toHaveLength(4);
  });

  it('followRedirects: 0 reports the redirect itself', async () => {
    const server = await http(respond(301, '', { location: '/elsewhere' }));
    const result = await checkOne({ url: server.url, http: { followRedirects: 0 } });
    expect(result.status).toBe('up');
    expect(probe(result, 'http').details.status).toBe(301);
  });

  it('a redirect to an https host with a wrong-host certificate ends promptly as tls.hostname_mismatch', async () => {
    // undici 7 can leave a request hanging after ERR_TLS_CERT_ALTNAME_INVALID from a custom connector.
    const bad = await startHttps(pki.wrongHost, ok);
    own(bad);
    const start = await http(respond(302, '', { location: `https://localhost:${bad.port}/` }));
    const started = performance.now();
    const result = await checkOne({ url: start.url, timeout: '5s', tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.hostname_mismatch' });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('credentials are not forwarded on a redirect to another origin', async () => {
    let seen: string | undefined = 'unset';
    const other = await http((req, res) => {
      seen = req.headers.authorization;
      ok(req, res);
    });
    const start = await http(respond(302, '', { location: `${other.url.replace('127.0.0.1', 'localhost')}/` }));
    await checkOne({ url: start.url, http: { headers: { Authorization: 'Bearer s3cret-token' } } });
    expect(seen).toBeUndefined();
  });

  it('reads at most 1 MiB of body and does not wait for the rest', async () => {
    const server = await http((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', pump);
        // never ends: a 12 MiB prefix of an endless body
      };
      pump();
    });
    const result = await checkOne({ url: server.url, timeout: '5s' });
    expect(result.status).toBe('up');
    const details = probe(result, 'http').details;
    expect(details.bodyBytes).toBe(1024 * 1024);
    expect(details.bodyTruncated).toBe(true);
  });

  it("sends Accept: */* and outage's User-Agent as curl does, each replaced by a configured header of that name", async () => {
    const seen: { accept: string[]; agent: string[] }[] = [];
    const server = await http((req, res) => {
      const values = (name: string) => req.rawHeaders.flatMap((v, i) => (i % 2 === 1 && req.rawHeaders[i - 1]?.toLowerCase() === name ? [v] : []));
      seen.push({ accept: values('accept'), agent: values('user-agent') });
      // a bot filter: no Accept, no page
      if (req.headers.accept === undefined) respond(403, 'forbidden')(req, res);
      else ok(req, res);
    });
    expect(await checkOne({ url: server.url })).toMatchObject({ status: 'up' });
    await checkOne({ url: server.url, http: { headers: { Accept: 'application/json', 'User-Agent': 'deploy-gate/2' } } });
    expect(seen[0]).toEqual({ accept: ['*/*'], agent: [expect.stringMatching(/^outage\//)] });
    expect(seen[1]).toEqual({ accept: ['application/json'], agent: ['deploy-gate/2'] });
  });

  it('URL credentials are sent as basic auth', async () => {
    let auth: string | undefined;
    const server = await http((req, res) => {
      auth = req.headers.authorization;
      ok(req, res);
    });
    await checkOne({ url: server.url.replace('http://', 'http://alice:pa55word@') });
    expect(auth).toBe(`Basic ${Buffer.from('alice:pa55word').toString('base64')}`);
  });
});

describe('one connection per https service', () => {
  it('costs exactly one TCP connection and one TLS handshake at the server', async () => {
    const server = await startHttps(pki.valid, ok);
    own(server);
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result.status).toBe('up');
    expect(server.connections).toBe(1);
    expect(server.handshakes).toBe(1);
    expect(server.requests).toBe(1);
  });
});

describe('no shared sessions between services', () => {
  it('two services on one host each make their own connection and full handshake', async () => {
    const server = own(await startHttps(pki.valid, ok));
    const { check } = await import('../../src/check.js');
    const target = (path: string) => ({ name: path, url: `https://localhost:${server.port}/${path}`, tls: { ca: pki.rootFile } });
    const report = await check({ config: { defaults: { retries: 0 }, services: [target('a'), target('b')] } });
    expect(report.status).toBe('up');
    expect(server.connections).toBe(2);
    expect(server.handshakes).toBe(2);
    expect(server.resumed).toBe(0);
  });
});

describe('retries', () => {
  it('a failure cured by a retry is degraded and keeps the first failure', async () => {
    let calls = 0;
    const server = await http((req, res) => (++calls === 1 ? respond(503)(req, res) : ok(req, res)));
    const result = await checkOne({ url: server.url, retries: 1 });
    expect(result).toMatchObject({ status: 'degraded', code: 'http.status' });
    const h = probe(result, 'http');
    expect(h.attempts).toBe(2);
    expect(h.details.firstFailure).toMatchObject({ code: 'http.status', status: 'down' });
  });

  it('a failure on every attempt stays down after the retries', async () => {
    const server = await http(respond(500));
    const result = await checkOne({ url: server.url, retries: 2 });
    expect(result).toMatchObject({ status: 'down', code: 'http.status' });
    expect(probe(result, 'http').attempts).toBe(3);
  });
});
