/**
 * Which proxy a service uses, decided as curl decides it: NO_PROXY's rules, the environment's
 * variables and their precedence, the `proxy` key, and what is a configuration problem.
 */
import { describe, expect, it } from 'vitest';
import { loadServices } from '../../src/config/pipeline.js';
import { bypassesProxy, parseNoProxy } from '../../src/config/no-proxy.js';
import type { ServiceSpec } from '../../src/config/service.js';
import { ConfigError } from '../../src/core/errors.js';
import { serviceProxy, urlProxy } from '../../src/net/proxy.js';

describe('NO_PROXY, by curl rules', () => {
  const cases: [string, string, number, boolean][] = [
    ['*', 'anything.example', 443, true],
    ['example.com', 'example.com', 443, true],
    ['example.com', 'www.example.com', 443, true],
    ['.example.com', 'example.com', 443, true],
    ['.example.com', 'a.b.example.com', 443, true],
    ['example.com', 'notexample.com', 443, false],
    ['example.com', 'example.com.evil', 443, false],
    ['EXAMPLE.com.', 'www.Example.COM', 443, true],
    ['example.com', 'www.example.com.', 443, true],
    ['*.example.com', 'www.example.com', 443, true],
    ['a.test, b.test ,c.test', 'c.test', 443, true],
    ['a.test b.test', 'b.test', 443, true],
    ['example.com:8080', 'example.com', 8080, true],
    ['example.com:8080', 'example.com', 443, false],
    ['127.0.0.1', '127.0.0.1', 80, true],
    ['127.0.0.1', '127.0.0.2', 80, false],
    ['10.0.0.0/8', '10.20.30.40', 80, true],
    ['10.0.0.0/8', '11.0.0.1', 80, false],
    ['192.168.0.0/16', '192.168.7.1', 80, true],
    ['::1', '::1', 80, true],
    ['fd00::/8', 'fd12::5', 80, true],
    ['fd00::/8', 'fe80::1', 80, false],
    ['[::1]:8080', '::1', 8080, true],
    ['[::1]:8080', '::1', 8081, false],
    ['127.0.0.1:9000', '127.0.0.1', 9000, true],
    ['127.0.0.1:9000', '127.0.0.1', 9001, false],
    // Names are never resolved to be compared, and an address never matches a name.
    ['127.0.0.1', 'localhost', 80, false],
    ['localhost', '127.0.0.1', 80, false],
    // Localhost is not special: curl sends it to the proxy unless NO_PROXY lists it.
    ['', 'localhost', 80, false],
    ['example.com', '127.0.0.1', 80, false],
    ['10.0.0.0/99', '10.0.0.1', 80, false],
  ];
  it.each(cases)('NO_PROXY=%j: %s port %d bypasses the proxy: %s', (list, host, port, expected) => {
    expect(bypassesProxy(parseNoProxy(list), host, port)).toBe(expected);
  });
});

const URL_SERVICE = { name: 'web', url: 'https://app.example/' };
const HTTP_SERVICE = { name: 'plain', url: 'http://app.example/' };

function load(services: Record<string, unknown>[], env: NodeJS.ProcessEnv, defaults: Record<string, unknown> = {}) {
  return loadServices({ defaults, services }, { env, canaries: false });
}

function proxyOf(service: ServiceSpec | undefined): string | undefined {
  return service && serviceProxy(service)?.url;
}

describe('proxy variables, as curl reads them', () => {
  it('https_proxy is preferred to HTTPS_PROXY, which is used for https URLs', () => {
    expect(proxyOf(load([URL_SERVICE], { HTTPS_PROXY: 'http://upper:3128' }).services[0])).toBe('http://upper:3128');
    expect(proxyOf(load([URL_SERVICE], { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' }).services[0])).toBe('http://lower:3128');
  });

  it('upper-case HTTP_PROXY is used where it is all a runner sets, but not in a CGI program (httpoxy), as Go and Python read it', () => {
    expect(proxyOf(load([HTTP_SERVICE], { HTTP_PROXY: 'http://upper:3128' }).services[0])).toBe('http://upper:3128');
    expect(proxyOf(load([HTTP_SERVICE], { HTTP_PROXY: 'http://upper:3128', http_proxy: 'http://lower:3128' }).services[0])).toBe('http://lower:3128');
    expect(proxyOf(load([HTTP_SERVICE], { HTTP_PROXY: 'http://upper:3128', REQUEST_METHOD: 'GET' }).services[0])).toBeUndefined();
    expect(proxyOf(load([HTTP_SERVICE], { HTTP_PROXY: 'http://upper:3128', REQUEST_METHOD: 'GET', ALL_PROXY: 'http://all:3128' }).services[0])).toBe('http://all:3128');
    expect(proxyOf(load([HTTP_SERVICE], { http_proxy: 'http://lower:3128' }).services[0])).toBe('http://lower:3128');
  });

  it('HTTP_PROXY is never asked for localhost or a loopback address, as in Go (outage ignored it before, and such checks went direct)', () => {
    const local = ['http://localhost:3000/', 'http://app.localhost/', 'http://127.0.0.1:3000/', 'http://127.1.2.3/', 'http://[::1]:3000/', 'http://[::ffff:127.0.0.1]/'];
    const env = { HTTP_PROXY: 'http://upper:3128' };
    for (const url of local) expect(proxyOf(load([{ name: 'local', url }], env).services[0]), url).toBeUndefined();
    expect(proxyOf(load([{ name: 'remote', url: 'http://10.0.0.5:3000/' }], env).services[0])).toBe('http://upper:3128');
    // curl's variables keep curl's rule: localhost is not special.
    expect(proxyOf(load([{ name: 'lower', url: 'http://localhost:3000/' }], { http_proxy: 'http://lower:3128' }).services[0])).toBe('http://lower:3128');
  });

  it('ALL_PROXY is the fallback for both schemes; a scheme-specific variable wins', () => {
    const env = { ALL_PROXY: 'http://all:3128', https_proxy: 'http://secure:3128' };
    const [https, http] = load([URL_SERVICE, HTTP_SERVICE], env).services;
    expect(proxyOf(https)).toBe('http://secure:3128');
    expect(proxyOf(http)).toBe('http://all:3128');
  });

  it('a proxy without a scheme is http://, without a port is curl\'s 1080; an empty variable is no proxy', () => {
    expect(proxyOf(load([URL_SERVICE], { https_proxy: 'proxy.internal' }).services[0])).toBe('http://proxy.internal:1080');
    expect(proxyOf(load([URL_SERVICE], { https_proxy: '', ALL_PROXY: 'http://all:3128' }).services[0])).toBeUndefined();
  });

  it('no_proxy is preferred to NO_PROXY', () => {
    const env = { https_proxy: 'http://p:3128', NO_PROXY: 'other.example', no_proxy: 'app.example' };
    expect(proxyOf(load([URL_SERVICE], env).services[0])).toBeUndefined();
  });

  it('tcp: services ignore the environment and the defaults, and use their own proxy key', () => {
    const env = { https_proxy: 'http://p:3128', ALL_PROXY: 'http://all:3128' };
    const loaded = load([{ name: 'db', tcp: 'db.example:5432' }, { name: 'own', tcp: 'db.example:5432', proxy: 'http://mine:8080' }], env, { proxy: 'http://def:3128' });
    expect(proxyOf(loaded.services[0])).toBeUndefined();
    expect(proxyOf(loaded.services[1])).toBe('http://mine:8080');
  });
});

describe('the proxy key', () => {
  const env = { https_proxy: 'http://env:3128' };

  it('a service key beats defaults, which beat the environment; false connects directly', () => {
    const loaded = load([URL_SERVICE, { ...URL_SERVICE, name: 'own', proxy: 'http://own:8080' }, { ...URL_SERVICE, name: 'direct', proxy: false }], env, { proxy: 'http://def:3128' });
    expect(loaded.services.map(proxyOf)).toEqual(['http://def:3128', 'http://own:8080', undefined]);
    expect(proxyOf(load([URL_SERVICE], env, { proxy: false }).services[0])).toBeUndefined();
  });

  it('NO_PROXY applies to a configured proxy too, as curl applies it to -x', () => {
    expect(proxyOf(load([{ ...URL_SERVICE, proxy: 'http://own:8080' }], { NO_PROXY: '.example' }).services[0])).toBeUndefined();
  });

  it('a redirect to another scheme or host is matched on its own: the settings travel with the service', () => {
    const [service] = load([URL_SERVICE], { https_proxy: 'http://s:1', http_proxy: 'http://h:2', no_proxy: 'direct.example' }).services;
    expect(urlProxy(service?.proxy, new URL('http://app.example/'))?.url).toBe('http://h:2');
    expect(urlProxy(service?.proxy, new URL('https://direct.example/'))).toBeUndefined();
  });

  it('status and host subchecks go through the service\'s proxies', () => {
    const [service] = load([{ ...URL_SERVICE, status: 'https://status.example/api/v2/summary.json', hosts: ['https://cdn.example/'] }], env).services;
    expect(proxyOf(service?.status?.check)).toBe('http://env:3128');
    expect(proxyOf(service?.hosts?.configured[0])).toBe('http://env:3128');
  });

  it('credentials become a Proxy-Authorization header and are collected as secrets', () => {
    const loaded = load([{ ...URL_SERVICE, proxy: 'http://alice:pa%24%24word@own:8080' }], { HTTPS_PROXY: 'http://bob:hunter22@env:3128' });
    const proxy = loaded.services[0] && serviceProxy(loaded.services[0]);
    expect(proxy?.authorization).toBe(`Basic ${Buffer.from('alice:pa$$word').toString('base64')}`);
    expect(proxy?.url).toBe('http://own:8080');
    expect(loaded.secrets).toEqual(expect.arrayContaining(['pa$$word', 'pa%24%24word', proxy?.authorization, 'hunter22']));
  });

  it('the built-in canaries take defaults.proxy (and only that of the defaults)', () => {
    const loaded = loadServices({ defaults: { proxy: 'http://def:3128', latency: { degraded: '123ms' } }, services: [URL_SERVICE] }, { env: {} });
    const https = loaded.canaries.find((c) => c.endpoint?.protocol === 'https');
    expect(proxyOf(https)).toBe('http://def:3128');
    expect(loaded.canaries.map((c) => c.latencyDegradedMs)).not.toContain(123);
  });
});

describe('proxy problems', () => {
  function problems(run: () => unknown): string[] {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      throw error;
    }
    return [];
  }

  it('a socks or https proxy in the key is a problem at its path, and never echoes credentials', () => {
    const found = problems(() => load([{ ...URL_SERVICE, proxy: 'socks5://u:s3cr3t-pw@p:1080' }], {}));
    expect(found).toEqual(['services[0].proxy: socks5 proxies are not supported: outage talks to its proxy in plain HTTP (http://host:port)']);
    expect(problems(() => load([{ ...URL_SERVICE, proxy: 'https://p:443' }], {}))[0]).toMatch(/https proxies are not supported/);
  });

  it('an unusable variable is a problem only for services that would go through it', () => {
    const env = { HTTPS_PROXY: 'socks5h://p:1080', NO_PROXY: 'internal.example' };
    expect(problems(() => load([{ name: 'in', url: 'https://x.internal.example/' }, HTTP_SERVICE], env))).toEqual([]);
    expect(problems(() => load([URL_SERVICE], env))).toEqual([
      'services[0]: HTTPS_PROXY: socks5h proxies are not supported: outage talks to its proxy in plain HTTP (http://host:port) (set NO_PROXY, or proxy: false for this service, to connect directly)',
    ]);
    expect(problems(() => load([{ ...URL_SERVICE, proxy: false }], env))).toEqual([]);
  });
});
