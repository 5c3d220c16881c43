/**
 * A proxy's own failures, produced by an in-test proxy that misbehaves: each has its own code and
 * is never blamed on the target (unknown, not down); a failure the proxy met at the target, when
 * it says which, is the target's own code. Also: the proxy resolves names, and the tunnel's round
 * trip is timed as its own phase.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { ServiceResult } from '../../src/probes/result.js';
import { testPki, type TestPki } from '../helpers/certs.js';
import { probe } from '../helpers/check.js';
import { answer, forwardTo, hangUp, silent, startFakeProxy, type ProxyBehaviour } from '../helpers/fake-proxy.js';
import { closeAfterAll } from '../helpers/own.js';
import { closedPort, ok, respond, startHttp, startHttps, type TestServer } from '../helpers/servers.js';

const own = closeAfterAll();
let pki: TestPki;
let https: TestServer;

beforeAll(async () => {
  pki = await testPki();
  https = own(await startHttps(pki.valid, ok));
});

async function viaProxy(behaviour: ProxyBehaviour, service: Record<string, unknown> = {}, timeout = '3s'): Promise<ServiceResult> {
  const proxy = own(await startFakeProxy(behaviour));
  const config = { defaults: { timeout, retries: 0, proxy: proxy.url }, services: [{ name: 'svc', url: https.url, tls: { ca: pki.rootFile }, ...service }] };
  const report = await check({ config, env: {}, canaries: false });
  return report.services[0] as ServiceResult;
}

const page = (title: string) => `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;

describe("the proxy's own failures: their own code, unknown, never down", () => {
  it('refused: nothing listens on the proxy port', async () => {
    const port = await closedPort();
    const report = await check({ config: { defaults: { retries: 0, proxy: `http://127.0.0.1:${port}` }, services: [{ name: 'svc', url: https.url }] }, env: {}, canaries: false });
    expect(report.services[0]).toMatchObject({ status: 'unknown', code: 'proxy.refused' });
    expect(report.services[0]?.reason).toBe(`proxy 127.0.0.1:${port}: connection refused (nothing listening)`);
    expect(report.exitCode).toBe(3);
  });

  it('timeout: the proxy accepts and never answers CONNECT; the reason states the budget', async () => {
    const started = performance.now();
    const result = await viaProxy(silent, {}, '600ms');
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.timeout' });
    expect(result.reason).toMatch(/did not answer CONNECT 127\.0\.0\.1:\d+ .*600ms/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('407: authentication required', async () => {
    const result = await viaProxy(answer(407, 'Proxy Authentication Required', { 'proxy-authenticate': 'Basic realm="corp"' }));
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.auth_required' });
  });

  it('CONNECT denied by policy (403, 405): proxy.denied', async () => {
    for (const [status, text] of [[403, 'Forbidden'], [405, 'Method Not Allowed']] as const) {
      const result = await viaProxy(answer(status, text, {}, page('Access denied')));
      expect(result).toMatchObject({ status: 'unknown', code: 'proxy.denied' });
      expect(result.reason).toContain(`${status} ${text}`);
    }
  });

  it.each([
    ['squid: X-Squid-Error ERR_DNS_FAIL', answer(503, 'Service Unavailable', { 'x-squid-error': 'ERR_DNS_FAIL 0', server: 'squid/5.7' }, page('ERROR'))],
    ['RFC 9209: Proxy-Status error=dns_error', answer(502, 'Bad Gateway', { 'proxy-status': 'corp-proxy; error=dns_error; rcode="NXDOMAIN"' })],
    ['an error page that says it (squid wording)', answer(503, 'Service Unavailable', {}, page('Unable to determine IP address from host name "app.test"'))],
    ['a 502 in tinyproxy style naming the resolver failure', answer(502, 'Unable to connect', { server: 'tinyproxy/1.11.1' }, page('Temporary failure in name resolution'))],
  ])("the proxy's DNS failure (%s): proxy.dns", async (_name, behaviour) => {
    const result = await viaProxy(behaviour);
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.dns' });
    expect(result.reason).toMatch(/cannot resolve 127\.0\.0\.1/);
  });

  it('a bare 502 or tinyproxy\'s "500 Unable to connect": proxy.upstream_failed (the proxy did not say why)', async () => {
    for (const behaviour of [answer(502, 'Bad Gateway'), answer(500, 'Unable to connect', { server: 'tinyproxy/1.11.1' }, page('Unable to connect'))]) {
      const result = await viaProxy(behaviour);
      expect(result).toMatchObject({ status: 'unknown', code: 'proxy.upstream_failed' });
    }
  });

  it('the proxy hangs up, or does not speak HTTP: proxy.protocol, for CONNECT and for plain http alike', async () => {
    const plain = { url: 'http://127.0.0.1:9/', tls: undefined };
    const banner: ProxyBehaviour = (_r, socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    for (const service of [{}, plain]) {
      expect(await viaProxy(hangUp, service)).toMatchObject({ status: 'unknown', code: 'proxy.protocol' });
      expect(await viaProxy(banner, service)).toMatchObject({ status: 'unknown', code: 'proxy.protocol' });
    }
  });
});

describe('the target failing, as the proxy reports it', () => {
  it.each([
    ['squid ERR_CONNECT_FAIL 111', { 'x-squid-error': 'ERR_CONNECT_FAIL 111' }, 'tcp.refused'],
    ['squid ERR_CONNECT_FAIL 110', { 'x-squid-error': 'ERR_CONNECT_FAIL 110' }, 'tcp.timeout'],
    ['Proxy-Status connection_refused', { 'proxy-status': 'corp; error=connection_refused' }, 'tcp.refused'],
  ])('%s: the target is down with %s', async (_name, headers, code) => {
    const result = await viaProxy(answer(503, 'Service Unavailable', headers));
    expect(result).toMatchObject({ status: 'down', code });
    expect(result.reason).toMatch(/reported by proxy http:\/\/127\.0\.0\.1:\d+/);
  });

  it("plain http: the origin's own 502 passes through the proxy and is the origin's http.status", async () => {
    const origin = own(await startHttp(respond(502, 'upstream of origin broke')));
    const result = await viaProxy(forwardTo({}), { url: origin.url, tls: undefined });
    expect(result).toMatchObject({ status: 'down', code: 'http.status' });
  });

  it('plain http: a 407 from the proxy is proxy.auth_required, not the origin answering 407', async () => {
    const result = await viaProxy(answer(407, 'Proxy Authentication Required'), { url: 'http://127.0.0.1:9/', tls: undefined });
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.auth_required' });
  });
});

describe("a CONNECT answer is read as curl reads it: lenient in its line ends, strict in what it is", () => {
  it.each([
    ['bare LF line ends', 'HTTP/1.0 200 Connection established\n\n'],
    ['bare LF after a header', 'HTTP/1.1 200 Connection established\nProxy-Agent: tiny\n\n'],
    ['a tab between the status parts', 'HTTP/1.1 200\tConnection established\r\n\r\n'],
    ['a CRLF head with a bare-LF end', 'HTTP/1.1 200 OK\r\n\n'],
    ['Transfer-Encoding on the 2xx (RFC 9110 §9.3.6: ignored)', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'],
  ])('%s: the tunnel opens, up', async (_name, established) => {
    const result = await viaProxy(forwardTo({}, established), {}, '1s');
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it.each([
    ['a lower-case http/1.1', 'http/1.1 200 ok\r\n\r\n'],
    ['an empty line before the status line', '\r\nHTTP/1.1 200 OK\r\n\r\n'],
  ])('%s (curl refuses it too): proxy.protocol, at once', async (_name, established) => {
    const result = await viaProxy(forwardTo({}, established), {}, '1s');
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.protocol' });
  });
});

describe('what the proxy does for us', () => {
  it('resolves the name: a name only the proxy knows is up, with no local lookup', async () => {
    // A resolver that would answer nothing: any local lookup would fail the check.
    const result = await viaProxy(forwardTo({ 'app.test': '127.0.0.1' }), { url: `https://app.test:${https.port}/`, resolvers: ['127.0.0.1:9'] });
    expect(result).toMatchObject({ status: 'up' });
    expect(result.probes.map((p) => p.kind)).toEqual(['proxy', 'tls', 'http']);
    expect(probe(result, 'proxy').details.resolvedByProxy).toBe('app.test');
    expect(probe(result, 'proxy').reason).toMatch(/the proxy resolves app\.test/);
  });

  it("the CONNECT round trip is its own phase: a proxy slow to open the tunnel shows in tunnel, not in connect or ttfb", async () => {
    const slow: ProxyBehaviour = (request, socket, rest) => setTimeout(() => forwardTo({})(request, socket, rest), 300);
    const result = await viaProxy(slow);
    expect(result.status).toBe('up');
    const t = probe(result, 'http').timings ?? { total: 0 };
    expect(t.tunnel).toBeGreaterThanOrEqual(290);
    expect(t.connect).toBeLessThan(290);
    expect(t.ttfb).toBeLessThan(290);
    expect(t.total).toBeGreaterThanOrEqual(t.tunnel ?? 0);
  });
});
