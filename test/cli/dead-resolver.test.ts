/**
 * A configured resolver that never answers while another one does (`--resolver 10.0.0.53
 * --resolver 1.1.1.1`, the first gone): the lookup waits out one try on it before the next server
 * answers. That wait is the resolver list's, not the target's: a server answering in a millisecond
 * is not `http.slow` for it — as for a dead nameserver of /etc/resolv.conf (resolv-conf.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { delayed, ok, startHttp, type TestServer } from '../helpers/servers.js';

let web: TestServer;
let slowWeb: TestServer;
let good: TestDnsServer;
let silent: TestDnsServer;
beforeAll(async () => {
  [web, slowWeb, good, silent] = await Promise.all([startHttp(ok), startHttp(delayed(1200)), startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] } })), startDns(() => 'drop')]);
});
afterAll(async () => {
  await Promise.all([web.close(), slowWeb.close(), good.close(), silent.close()]);
});

interface Service {
  status: string;
  code: string | null;
  reason: string;
  probes: { kind: string; status: string; code: string | null }[];
}

const check = async (resolvers: string[], slowAfter: string, server = web) => {
  const service = { name: 'app', url: `http://app.test:${server.port}/`, resolvers, latency: { degraded: slowAfter }, timeout: '10s', retries: 0 };
  const result = await runCli(['check', '--json', '--no-canaries', '-c', configFile({ services: [service] })]);
  return { result, service: JSON.parse(result.stdout).services[0] as Service };
};

describe('a configured resolver that never answers, beside one that does', () => {
  it('the lookup waited on it: up, the wait said to be that resolver\'s — not http.slow', async () => {
    const { result, service } = await check([silent.address, good.address], '1s');
    expect([service.status, service.code]).toEqual(['up', null]);
    expect(service.reason).toMatch(new RegExp(`^HTTP 200 in [\\d.]+s, [\\d.]+s of it waiting on the configured resolver ${silent.address}, which does not answer while another does \\(not the target's time, not judged\\)$`));
    expect(result.code).toBe(0);
  });

  it('the target slow beyond that wait is still http.slow', async () => {
    const { service } = await check([silent.address, good.address], '1s', slowWeb);
    expect([service.status, service.code]).toEqual(['degraded', 'http.slow']);
  });

  it('the only resolver answering late is the name\'s slow DNS, never put down to a dead resolver', async () => {
    const late = await startDns(tableZone({ 'app.test': { rcode: 'NOERROR', answers: [{ type: 'A', name: 'app.test', ttl: 60, data: '127.0.0.1' }], delayMs: 1200 } }));
    const { service } = await check([late.address], '1s');
    await late.close();
    expect([service.status, service.code]).toEqual(['degraded', 'http.slow']);
    expect(service.reason).not.toContain('does not answer');
  });
});
