/** `dns.compare`: resolvers asked side by side, disagreement reported (the Facebook 2021 pattern). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';
import { checkOne, probe } from '../helpers/check.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let good: TestDnsServer;
let also: TestDnsServer;
let failing: TestDnsServer;
let silent: TestDnsServer;
let elsewhere: TestDnsServer;
let web: TestServer;

beforeAll(async () => {
  web = await startHttp(ok);
  [good, also, failing, silent, elsewhere] = await Promise.all([
    startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] } })),
    startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] } })),
    startDns(() => ({ rcode: 'SERVFAIL' })),
    startDns(() => 'drop'),
    startDns(tableZone({ 'app.test': { A: ['127.0.0.2'] } })),
  ]);
});
afterAll(async () => {
  await Promise.all([good, also, failing, silent, elsewhere].map((s) => s.close()).concat(web.close()));
});

const service = (...resolvers: TestDnsServer[]) => ({
  url: `http://app.test:${web.port}/`,
  resolvers: [good.address],
  dns: { compare: true, resolvers: resolvers.map((r) => r.address) },
});

describe('dns.compare', () => {
  it('resolvers that agree: up, each answer recorded', async () => {
    const result = await checkOne(service(good, also));
    expect(result.status).toBe('up');
    const answers = probe(result, 'dns').details.byResolver as { resolver: string; values: string[] }[];
    expect(answers.map((a) => [a.resolver, a.values])).toEqual([
      [good.address, ['127.0.0.1']],
      [also.address, ['127.0.0.1']],
    ]);
  });

  it('one SERVFAIL while another answers: degraded dns.servfail, naming both', async () => {
    const result = await checkOne(service(good, failing));
    expect(result).toMatchObject({ status: 'degraded', code: 'dns.servfail' });
    expect(result.reason).toBe(`app.test: ${failing.address} SERVFAIL while ${good.address} answered`);
    // the connection still used the service's own resolver, and HTTP ran
    expect(probe(result, 'http').status).toBe('up');
  });

  it('one resolver never answering: degraded dns.timeout, within the budget', async () => {
    const started = performance.now();
    const result = await checkOne({ ...service(good, silent), timeout: '800ms' });
    expect(result).toMatchObject({ status: 'degraded', code: 'dns.timeout' });
    expect(result.reason).toContain(`${silent.address} TIMEOUT`);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('different answers are noted, not judged (geo-DNS is normal)', async () => {
    const result = await checkOne(service(good, elsewhere));
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').reason).toBe(`app.test: resolvers disagree (${good.address} → 127.0.0.1; ${elsewhere.address} → 127.0.0.2)`);
  });

  it('works for DNS-only services too', async () => {
    const result = await checkOne({ dns: { name: 'app.test', type: 'A', compare: true, resolvers: [good.address, failing.address] }, resolvers: [good.address] });
    expect(result).toMatchObject({ status: 'degraded', code: 'dns.servfail' });
  });

  it.each([
    [{ compare: true }, 'services[0].dns.compare: list the resolvers to compare in dns.resolvers, e.g. [system, "1.1.1.1", "8.8.8.8"]'],
    [{ resolvers: ['1.1.1.1', '8.8.8.8'] }, 'services[0].dns.resolvers: these are compared only with dns.compare: true (to use one resolver for the service, set its resolvers)'],
    [{ compare: true, resolvers: ['1.1.1.1'] }, 'services[0].dns.resolvers: list at least two resolvers to compare'],
  ])('config %j is refused', (dns, message) => {
    try {
      validateConfig({ services: [{ name: 'a', url: 'https://a.test', dns }] }, { env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([message]);
    }
  });
});
