import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOne, probe } from '../helpers/check.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let dns: TestDnsServer;
let web: TestServer;
let web6: TestServer;

beforeAll(async () => {
  web = await startHttp(ok);
  web6 = await startHttp(ok, '::1');
  dns = await startDns(
    tableZone({
      'app.test': { A: ['127.0.0.1'] },
      'www.app.test': { CNAME: 'edge.cdn.test' },
      'edge.cdn.test': { A: ['127.0.0.1'] },
      'v6only.test': { AAAA: ['::1'] },
      'empty.test': {},
      'broken.test': { rcode: 'SERVFAIL' },
      'refused.test': { rcode: 'REFUSED' },
      'silent.test': 'drop',
      'mail.test': {
        MX: [[10, 'mx1.mail.test']],
        TXT: ['v=spf1 -all'],
        NS: ['ns1.dns.test', 'ns2.dns.test'],
        SOA: { mname: 'ns1.dns.test', rname: 'hostmaster.mail.test', serial: 2026112001 },
        CAA: [{ tag: 'issue', value: 'letsencrypt.org' }],
      },
    }),
  );
});
afterAll(async () => {
  await Promise.all([dns.close(), web.close(), web6.close()]);
});

const viaTestDns = () => ({ resolvers: [dns.address] });

describe('dns probe', () => {
  it('resolves through the configured resolver, and HTTP connects to what it found', async () => {
    const result = await checkOne({ url: `http://app.test:${web.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.records).toEqual([{ type: 'A', value: '127.0.0.1', ttl: 300 }]);
    expect(probe(result, 'tcp').details.address).toBe(`127.0.0.1:${web.port}`);
  });

  it('records the CNAME chain', async () => {
    const result = await checkOne({ url: `http://www.app.test:${web.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.cnameChain).toEqual(['edge.cdn.test']);
  });

  it('an IPv6-only host works (AAAA only)', async () => {
    const result = await checkOne({ url: `http://v6only.test:${web6.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'tcp').details.address).toBe(`[::1]:${web6.port}`);
  });

  it.each([
    ['nosuch.test', 'dns.nxdomain'],
    ['broken.test', 'dns.servfail'],
    ['refused.test', 'dns.refused'],
    ['empty.test', 'dns.nodata'],
  ])('%s is %s, and later probes are skipped', async (host, code) => {
    const result = await checkOne({ url: `http://${host}:${web.port}/`, ...viaTestDns() });
    expect(result).toMatchObject({ status: 'down', code });
    expect(probe(result, 'tcp').status).toBe('skipped');
    expect(probe(result, 'http').status).toBe('skipped');
  });

  it('a resolver that never answers is dns.timeout within the budget', async () => {
    const started = performance.now();
    const result = await checkOne({ url: `http://silent.test:${web.port}/`, ...viaTestDns(), timeout: '500ms' });
    expect(result).toMatchObject({ status: 'down', code: 'dns.timeout' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a DNS-only service checks the record type and expected answers', async () => {
    const good = await checkOne({ dns: { name: 'mail.test', type: 'MX', expect: ['mx1.mail.test'] }, ...viaTestDns() });
    expect(good.status).toBe('up');
    expect(good.probes.map((p) => p.kind)).toEqual(['dns']);
    const bad = await checkOne({ dns: { name: 'mail.test', type: 'MX', expect: ['mx2.mail.test'] }, ...viaTestDns() });
    expect(bad).toMatchObject({ status: 'down', code: 'dns.unexpected' });
    expect(bad.reason).toContain('mx2.mail.test');
    const txt = await checkOne({ dns: { name: 'mail.test', type: 'TXT', expect: ['v=spf1 -all'] }, ...viaTestDns() });
    expect(txt.status).toBe('up');
  });

  it.each([
    ['NS', 'ns2.dns.test'],
    ['SOA', 'ns1.dns.test hostmaster.mail.test 2026112001'],
    ['CAA', '0 issue "letsencrypt.org"'],
    ['CNAME', 'edge.cdn.test'],
  ])('%s records are queried and matched', async (type, value) => {
    const name = type === 'CNAME' ? 'www.app.test' : 'mail.test';
    const result = await checkOne({ dns: { name, type, expect: [value] }, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.records).toContainEqual(expect.objectContaining({ type, value }));
  });

  it('localhost resolves like the system does, from /etc/hosts semantics', async () => {
    const result = await checkOne({ url: `http://localhost:${web.port}/` });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.source).toBe('hosts');
  });

  // The test resolver answers NXDOMAIN for localhost, as a resolver without a localhost zone
  // (Windows DNS, a forwarder to the root) does: asking it made a healthy local service down,
  // where curl (even with --dns-servers) and browsers answer loopback without asking.
  it.each(['localhost', 'api.localhost'])('%s is loopback through configured resolvers too, without asking them (RFC 6761)', async (name) => {
    const before = dns.queries.length;
    const result = await checkOne({ url: `http://${name}:${web.port}/`, ...viaTestDns() });
    expect(result.status).toBe('up');
    expect(probe(result, 'dns').details.source).toBe('hosts');
    expect(probe(result, 'tcp').details.address).toMatch(new RegExp(`^(127\\.0\\.0\\.1|\\[::1\\]):${web.port}$`));
    expect(dns.queries.slice(before).filter((q) => q.name.toLowerCase().endsWith('localhost'))).toEqual([]);
  });
});
