/**
 * Local-network diagnosis with canaries pointed at loopback: DNS servers that answer NXDOMAIN for
 * everything or nothing at all, closed ports, a certificate nobody trusts. When the canaries fail
 * too, one verdict names the layer, failing services are not judged, and the run does not wait
 * for their timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.js';
import { configFile, runCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { closedPort, ok, startHttp, startHttps, startTcp, type TestServer } from '../helpers/servers.js';
import type { Report } from '../../src/probes/result.js';

let nxdomain: TestDnsServer;
let silent: TestDnsServer;
let good: TestDnsServer;
let up: TestServer;
let hanging: TestServer;
let untrusted: TestServer;
let closed: number;

beforeAll(async () => {
  const pki = await testPki();
  [nxdomain, silent, good, up, hanging, untrusted, closed] = await Promise.all([
    startDns(() => ({ rcode: 'NXDOMAIN' })),
    startDns(() => 'drop'),
    startDns(tableZone({ 'one.one.one.one': { A: ['127.0.0.1'] }, 'svc.test': { A: ['127.0.0.1'] } })),
    startHttp(ok),
    // Accepts connections and never answers: without the verdict this service would take 20 s.
    startTcp(() => {}),
    startHttps(pki.selfSigned, ok),
    closedPort(),
  ]);
});

afterAll(async () => {
  await Promise.all([nxdomain, silent, good, up, hanging, untrusted].map((s) => s.close()));
});

async function check(config: Record<string, unknown>, ...flags: string[]): Promise<{ code: number | null; report: Report; stdout: string }> {
  const file = configFile({ defaults: { timeout: '20s', retries: 0 }, ...config });
  const r = await runCli(['check', '-c', file, '--json', ...flags]);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stdout: r.stdout };
}

const hangingService = () => ({ name: 'hanging', url: `http://127.0.0.1:${new URL(hanging.url).port}/` });

describe('local network problem', () => {
  it('resolver answering NXDOMAIN for everything: one verdict, services unknown, exit 3, no waiting', async () => {
    const { code, report } = await check({
      canaries: [
        { name: 'resolver canary', dns: { name: 'one.one.one.one' }, resolvers: [nxdomain.address] },
        { name: 'second resolver canary', dns: { name: 'dns.google' }, resolvers: [nxdomain.address] },
      ],
      services: [{ name: 'api', url: 'http://api.example.test/', resolvers: [nxdomain.address] }, hangingService()],
    });
    expect(code).toBe(3);
    expect(report.localNetwork).toMatchObject({ ok: false, verdict: 'local network problem', layers: ['resolver answering NXDOMAIN for everything'] });
    const [api, stuck] = report.services;
    expect(api).toMatchObject({ status: 'unknown', code: 'network.local' });
    expect(api?.reason).toMatch(/^not judged: local network problem — resolver answering NXDOMAIN for everything \(measured: dns\.nxdomain\)$/);
    expect(stuck).toMatchObject({ status: 'unknown', code: 'network.local' });
    expect(stuck?.reason).toMatch(/stopped when the canaries failed/);
    // The hanging service's 20 s budget was cut short by the verdict (the canaries' budget is 1.5 s).
    expect(report.durationMs).toBeLessThan(10_000);
    expect(report.commonCauses).toEqual([]);
  });

  it('resolver not answering and connections refused are named as such', async () => {
    const silentRun = await check({
      canaries: [{ name: 'silent resolver', dns: { name: 'one.one.one.one' }, resolvers: [silent.address] }],
      services: [hangingService(), { name: 'healthy', url: up.url }],
    });
    expect(silentRun.report.localNetwork?.layers).toEqual(['resolver not answering']);
    // What answered is still reported as measured.
    expect(silentRun.report.services.map((s) => [s.name, s.status])).toEqual([
      ['hanging', 'unknown'],
      ['healthy', 'up'],
    ]);
    expect(silentRun.code).toBe(3);

    const noRoute = await check({
      canaries: [{ name: 'tcp canary', tcp: `127.0.0.1:${closed}` }, { name: 'https canary', url: `https://127.0.0.1:${closed}/` }],
      services: [{ name: 'refused', url: `http://127.0.0.1:${closed}/` }],
    });
    // Refused, not timed out: something answered, so the layer is not "no route".
    expect(noRoute.report.localNetwork).toMatchObject({ ok: false, layers: ['connections refused'] });
    expect(noRoute.report.localNetwork?.reason).toMatch(/^connections refused \(tcp canary tcp\.refused, https canary tcp\.refused\)$/);
  });

  it('TLS intercepted: DNS answers, but every canary certificate is untrusted', async () => {
    const { code, report } = await check({
      canaries: [
        { name: 'dns canary', dns: { name: 'one.one.one.one' }, resolvers: [good.address] },
        { name: 'https canary', url: untrusted.url },
      ],
      services: [
        { name: 'tls service', url: untrusted.url },
        { name: 'plain', url: up.url },
        // A name that does not exist, through the resolver the canaries showed working: its own failure.
        { name: 'gone', url: 'http://gone.test/', resolvers: [good.address] },
      ],
    });
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['TLS intercepted'] });
    expect(report.localNetwork?.reason).toMatch(/^TLS intercepted — every certificate untrusted/);
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['tls service', 'unknown', 'network.local'],
      ['plain', 'up', null],
      ['gone', 'down', 'dns.nxdomain'],
    ]);
    expect(code).toBe(3);
  });

  describe('no route while a resolver nearby still answers (a router serving its cache, the uplink gone)', () => {
    const canaries = () => [
      { name: 'cached name', dns: { name: 'one.one.one.one' }, resolvers: [good.address] },
      { name: 'tcp canary', tcp: `127.0.0.1:${closed}` },
      { name: 'https canary', url: `https://127.0.0.1:${closed}/` },
    ];

    it('services that cannot connect either: one verdict, the services not judged', async () => {
      const services = [
        { name: 'refused', tcp: `127.0.0.1:${closed}` },
        { name: 'refused too', url: `http://127.0.0.1:${closed}/` },
        // A name the cache does not hold: the router cannot ask upstream.
        { name: 'uncached', url: 'http://uncached.test/', resolvers: [silent.address], timeout: '2s' },
      ];
      const { code, report } = await check({ canaries: canaries(), services });
      expect(report.localNetwork).toMatchObject({ ok: false, scope: 'network', layers: ['connections refused'] });
      expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
        ['refused', 'unknown', 'network.local'],
        ['refused too', 'unknown', 'network.local'],
        ['uncached', 'unknown', 'network.local'],
      ]);
      expect(code).toBe(3);
    });

    it('a service that connects shows the way out works (a network that only blocks the canaries, as some block DoH to 1.1.1.1 and 8.8.8.8): no verdict, failures judged', async () => {
      const { code, report } = await check({ canaries: canaries(), services: [{ name: 'reachable', url: up.url }, { name: 'refused', tcp: `127.0.0.1:${closed}` }] });
      expect(report.localNetwork).toMatchObject({ ok: true });
      expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
        ['reachable', 'up', null],
        ['refused', 'down', 'tcp.refused'],
      ]);
      expect(code).toBe(2);
    });
  });

  it('DNS alone broken here (canaries by name fail in DNS, by address connect): DNS failures not judged, TCP failures judged', async () => {
    const { code, report, stdout } = await check({
      canaries: [
        { name: 'resolver canary', dns: { name: 'one.one.one.one' }, resolvers: [nxdomain.address] },
        { name: 'second resolver canary', dns: { name: 'dns.google' }, resolvers: [nxdomain.address] },
        { name: 'by address', url: up.url },
      ],
      services: [
        { name: 'api', url: 'http://api.example.test/', resolvers: [nxdomain.address] },
        // Another resolver, which works: its NXDOMAIN is the service's own.
        { name: 'gone', url: 'http://gone.test/', resolvers: [good.address] },
        { name: 'refused', url: `http://127.0.0.1:${closed}/` },
        { name: 'healthy', url: up.url },
      ],
    });
    expect(report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver answering NXDOMAIN for everything'] });
    expect(report.localNetwork?.reason).toMatch(/^DNS is broken here: resolver answering NXDOMAIN for everything — resolver 127\.0\.0\.1:\d+ \(resolver canary dns\.nxdomain, second resolver canary dns\.nxdomain\), while connections by address work$/);
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['api', 'unknown', 'network.local'],
      ['gone', 'down', 'dns.nxdomain'],
      ['refused', 'down', 'tcp.refused'],
      ['healthy', 'up', null],
    ]);
    expect(report.services[0]?.reason).toBe('not judged: local network problem — DNS is broken here: resolver answering NXDOMAIN for everything (measured: dns.nxdomain)');
    // Unknown ranks above down for the exit code, as with every local verdict.
    expect(code).toBe(3);
    const table = await runCli(['check', '-c', configFile({ defaults: { timeout: '20s', retries: 0 }, canaries: [{ name: 'c', dns: { name: 'one.one.one.one' }, resolvers: [nxdomain.address] }, { name: 'by address', url: up.url }], services: [{ name: 'api', url: 'http://api.example.test/', resolvers: [nxdomain.address] }] })], { env: { COLUMNS: '300' } });
    expect(table.stdout).toMatch(/\nlocal network problem: DNS is broken here: .* — services' DNS failures are not judged \(unknown\)\n/);
    expect(table.code).toBe(3);
    expect(stdout).toContain('"scope": "dns"');
  });

  it('the table says it once, under the summary', async () => {
    const file = configFile({
      defaults: { timeout: '20s', retries: 0 },
      canaries: [{ name: 'resolver canary', dns: { name: 'one.one.one.one' }, resolvers: [nxdomain.address] }],
      services: [hangingService()],
    });
    const r = await runCli(['check', '-c', file], { env: { COLUMNS: '200' } });
    expect(r.stdout).toMatch(/\nlocal network problem: resolver answering NXDOMAIN for everything \(resolver canary dns\.nxdomain\) — failing services are not judged \(unknown\)\n/);
    expect(r.code).toBe(3);
  });
});

describe('a configured resolver that drops every AAAA query', () => {
  it('canaries through it name the family; services degraded only by it are up, others as measured; the exit code from the services', async () => {
    const zone = tableZone({ 'one.one.one.one': { A: ['127.0.0.1'] }, 'dns.google': { A: ['127.0.0.1'] }, 'api.test': { A: ['127.0.0.1'] } });
    const noAaaa = await startDns((name, type) => (type === 'AAAA' ? 'drop' : zone(name, type)));
    try {
      const port = new URL(up.url).port;
      const { code, report, stdout } = await check({
        defaults: { timeout: '3s', retries: 0 },
        canaries: [
          { name: 'resolver canary', dns: { name: 'one.one.one.one' }, resolvers: [noAaaa.address] },
          { name: 'second resolver canary', dns: { name: 'dns.google' }, resolvers: [noAaaa.address] },
          { name: 'by address', url: up.url },
        ],
        services: [
          { name: 'api', url: `http://api.test:${port}/`, resolvers: [noAaaa.address] },
          { name: 'api refused', url: `http://api.test:${closed}/`, resolvers: [noAaaa.address] },
          { name: 'healthy', url: up.url },
        ],
      });
      expect(report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver not answering AAAA'] });
      expect(report.localNetwork?.reason).toMatch(/^DNS is broken here: resolver not answering AAAA — resolver 127\.0\.0\.1:\d+ \(resolver canary AAAA dns\.timeout, second resolver canary AAAA dns\.timeout\), while A answers$/);
      expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
        ['api', 'up', null],
        ['api refused', 'down', 'tcp.refused'],
        ['healthy', 'up', null],
      ]);
      expect(report.services[0]?.reason).toMatch(/AAAA not answered by resolver 127\.0\.0\.1:\d+, a local resolver problem \(not judged\)/);
      expect(stdout).not.toContain('network.local');
      // The exit code follows the services, as always: the refused port (down) sets it, not the
      // resolver (a dns verdict that leaves services unknown would make it 3).
      expect(code).toBe(2);
    } finally {
      await noAaaa.close();
    }
  });
});

describe('no verdict', () => {
  it('canaries healthy: failing services are judged as measured', async () => {
    const { code, report } = await check({
      canaries: [{ name: 'up canary', url: up.url }],
      services: [{ name: 'refused', url: `http://127.0.0.1:${closed}/` }],
    });
    expect(report.localNetwork).toMatchObject({ ok: true, canaries: [{ name: 'up canary', status: 'up' }] });
    expect(report.services[0]).toMatchObject({ status: 'down', code: 'tcp.refused' });
    expect(code).toBe(2);
  });

  it('canaries: [] and --no-canaries turn the diagnosis off', async () => {
    const off = await check({ canaries: [], services: [{ name: 'refused', url: `http://127.0.0.1:${closed}/` }] });
    expect(off.report.localNetwork).toBeUndefined();
    const flag = await check(
      { canaries: [{ name: 'resolver canary', dns: { name: 'x.test' }, resolvers: [nxdomain.address] }], services: [{ name: 'refused', url: `http://127.0.0.1:${closed}/` }] },
      '--no-canaries',
    );
    expect(flag.report.localNetwork).toBeUndefined();
    expect(flag.report.services[0]?.code).toBe('tcp.refused');
  });

  it('when every service answers first, failing canaries have nothing to explain and are stopped', async () => {
    const { code, report } = await check({
      canaries: [{ name: 'silent resolver', dns: { name: 'one.one.one.one' }, resolvers: [silent.address] }],
      services: [{ name: 'healthy', url: up.url }],
    });
    expect(code).toBe(0);
    expect(report.localNetwork).toBeUndefined();
    expect(report.durationMs).toBeLessThan(1_500);
  });
});
