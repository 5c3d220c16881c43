/**
 * Through a real proxy from Debian (tinyproxy, started by this file on loopback): https through a
 * CONNECT tunnel with the origin's certificate judged end to end, plain http in absolute form,
 * true phase timings, NO_PROXY and `proxy: false` bypassing it, and its real refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import { testPki, type TestPki } from '../helpers/certs.js';
import { probe } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { closedPort, ok, respond, startHttp, startHttps, type TestServer } from '../helpers/servers.js';
import { startTinyproxy, TINYPROXY, type Tinyproxy } from '../helpers/tinyproxy.js';
import { requires } from '../helpers/requires.js';
import type { ServiceResult } from '../../src/probes/result.js';

const own = closeAfterAll();

async function checkVia(service: Record<string, unknown>, env: NodeJS.ProcessEnv, defaults: Record<string, unknown> = {}): Promise<ServiceResult> {
  const report = await check({ config: { defaults: { timeout: '5s', retries: 0, ...defaults }, services: [{ name: 'svc', ...service }] }, env, canaries: false });
  return report.services[0] as ServiceResult;
}

requires({ tools: [TINYPROXY] }).describe('through tinyproxy', () => {
  let pki: TestPki;
  let proxy: Tinyproxy;
  let authProxy: Tinyproxy;
  let https: TestServer;
  let http: TestServer;
  let originPaths: string[];

  beforeAll(async () => {
    [pki, proxy, authProxy] = await Promise.all([testPki(), startTinyproxy().then(own), startTinyproxy({ basicAuth: ['alice', 'tiny-s3cret'] }).then(own)]);
    https = own(await startHttps(pki.valid, ok));
    originPaths = [];
    http = own(
      await startHttp((req, res) => {
        originPaths.push(req.url ?? '');
        if (req.url === '/hop') return respond(302, '', { location: `${https.url}/landed` })(req, res);
        ok(req, res);
      }),
    );
  });

  const tls = () => ({ tls: { ca: pki.rootFile } });

  it('an https service is up through a CONNECT tunnel, its certificate judged end to end, with true phase timings', async () => {
    const result = await checkVia({ url: `${https.url}/health`, ...tls() }, { HTTPS_PROXY: proxy.url });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(result.probes.map((p) => p.kind)).toEqual(['proxy', 'tls', 'http']);
    const via = probe(result, 'proxy');
    expect(via.details).toMatchObject({ proxy: proxy.url, from: 'HTTPS_PROXY', mode: 'tunnel', answer: 200, target: `127.0.0.1:${https.port}` });
    expect(proxy.log()).toContain(`CONNECT 127.0.0.1:${https.port}`);
    // The origin's own chain (leaf, intermediate, root), not anything of the proxy's.
    expect(probe(result, 'tls').details.chain?.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Outage Test Intermediate', 'CN=Outage Test Root']);
    const t = probe(result, 'http').timings;
    expect(t).toBeDefined();
    const { connect = -1, tunnel = -1, tls: handshake = -1, ttfb = -1, transfer = 0, total = -1 } = t ?? {};
    for (const phase of [connect, tunnel, handshake, ttfb]) expect(phase).toBeGreaterThan(0);
    expect(t?.dns).toBeUndefined();
    expect(Math.abs(total - (connect + tunnel + handshake + ttfb + transfer))).toBeLessThan(0.5);
  });

  it('the origin\'s certificate is still what is judged: an expired one behind the proxy is tls.expired', async () => {
    const expired = own(await startHttps(pki.expired, ok));
    const result = await checkVia({ url: expired.url, ...tls() }, { https_proxy: proxy.url });
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(probe(result, 'proxy').status).toBe('up');
  });

  it('a plain-http service is up, sent to the proxy in absolute form', async () => {
    const result = await checkVia({ url: `${http.url}/plain?q=1` }, { http_proxy: proxy.url });
    expect(result).toMatchObject({ status: 'up' });
    expect(probe(result, 'proxy').details).toMatchObject({ mode: 'forward', from: 'http_proxy' });
    expect(proxy.log()).toContain(`GET http://127.0.0.1:${http.port}/plain?q=1 HTTP/1.1`);
    expect(originPaths).toContain('/plain?q=1');
    expect(probe(result, 'http').timings?.tunnel).toBeUndefined();
  });

  it('a redirect to another origin goes through the proxy too (CONNECT for the https hop)', async () => {
    const env = { http_proxy: proxy.url, https_proxy: proxy.url };
    const result = await checkVia({ url: `${http.url}/hop`, ...tls() }, env);
    expect(result).toMatchObject({ status: 'up' });
    expect(probe(result, 'http').details.url).toBe(`${https.url}/landed`);
    expect(proxy.log()).toContain(`GET http://127.0.0.1:${http.port}/hop`);
    expect(proxy.log()).toContain(`CONNECT 127.0.0.1:${https.port}`);
  });

  describe('bypassing it', () => {
    const requestsFor = (port: number) => proxy.log().split('\n').filter((l) => l.includes(`127.0.0.1:${port}`)).length;

    it.each([
      ['NO_PROXY with a CIDR range', { HTTPS_PROXY: 'PROXY', NO_PROXY: '127.0.0.0/8' }, {}],
      ['no_proxy with the address and port', { HTTPS_PROXY: 'PROXY', no_proxy: 'example.test, 127.0.0.1:PORT' }, {}],
      ['proxy: false', { HTTPS_PROXY: 'PROXY' }, { proxy: false }],
      ['upper-case HTTP_PROXY in a CGI program (httpoxy: a request may have set it)', { HTTP_PROXY: 'PROXY', REQUEST_METHOD: 'GET' }, {}],
      ['upper-case HTTP_PROXY for a loopback address, as in Go', { HTTP_PROXY: 'PROXY' }, {}],
    ])('%s: the service connects directly', async (_name, rawEnv, key) => {
      const target = 'HTTP_PROXY' in rawEnv ? http : own(await startHttps(pki.valid, ok));
      const env = Object.fromEntries(Object.entries(rawEnv).map(([k, v]) => [k, v.replace('PROXY', proxy.url).replace('PORT', String(target.port))]));
      const before = requestsFor(target.port);
      const result = await checkVia({ url: target.url, ...(target === http ? {} : tls()), ...key }, env);
      expect(result.status).toBe('up');
      expect(result.probes.map((p) => p.kind)).not.toContain('proxy');
      expect(result.probes.map((p) => p.kind)).toContain('tcp');
      expect(requestsFor(target.port)).toBe(before);
    });
  });

  it('a target refusing the proxy: tinyproxy says only "Unable to connect", so it is unknown, not down', async () => {
    const port = await closedPort();
    const result = await checkVia({ url: `https://127.0.0.1:${port}/` }, { HTTPS_PROXY: proxy.url });
    expect(result).toMatchObject({ status: 'unknown', code: 'proxy.upstream_failed' });
    expect(result.reason).toContain('500 Unable to connect');
    expect(result.reason).toContain(`127.0.0.1:${port}`);
  });

  describe('with BasicAuth', () => {
    it('credentials in the proxy URL are sent as Proxy-Authorization: up', async () => {
      const result = await checkVia({ url: https.url, ...tls() }, { HTTPS_PROXY: authProxy.url.replace('http://', 'http://alice:tiny-s3cret@') });
      expect(result.status).toBe('up');
      expect(JSON.stringify(result)).not.toContain('tiny-s3cret');
    });

    it('no credentials: proxy.auth_required, unknown', async () => {
      const result = await checkVia({ url: https.url, ...tls() }, {}, { proxy: authProxy.url });
      expect(result).toMatchObject({ status: 'unknown', code: 'proxy.auth_required' });
      expect(result.reason).toMatch(/requires authentication \(407\)/);
    });

    it('wrong credentials, plain http: proxy.auth_required, the credentials rejected', async () => {
      const result = await checkVia({ url: http.url, proxy: authProxy.url.replace('http://', 'http://alice:wrong-pw@') }, {});
      expect(result).toMatchObject({ status: 'unknown', code: 'proxy.auth_required' });
      expect(result.reason).toMatch(/rejected the credentials/);
      expect(JSON.stringify(result)).not.toContain('wrong-pw');
    });
  });
});
