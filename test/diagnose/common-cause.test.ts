/** Grouping rules on hand-made results: shared by failing services, not by healthy ones. */
import { describe, expect, it } from 'vitest';
import { findCommonCauses, headlineCauses, networkOf } from '../../src/diagnose/common-cause.js';
import { registrableDomain } from '../../src/core/domain.js';
import { service } from '../helpers/reports.js';
import type { ServiceResult } from '../../src/probes/result.js';

/** A certificate as the report shows one; only the issuer matters here. */
function certificate(issuer: string) {
  return { subject: 'CN=svc', issuer, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', daysLeft: 30, serialNumber: '01', fingerprint256: 'AA' };
}

function onNetwork(name: string, status: ServiceResult['status'], address: string, issuer?: string): ServiceResult {
  const probes: ServiceResult['probes'] = [
    { kind: 'tcp', status: 'up', code: null, reason: '', durationMs: 1, attempts: 1, details: { address } },
    ...(issuer ? [{ kind: 'tls' as const, status: status === 'up' ? ('up' as const) : ('down' as const), code: null, reason: '', durationMs: 1, attempts: 1, details: { chain: [certificate(issuer)] } }] : []),
  ];
  return service(name, status, { code: status === 'up' ? null : 'http.status', probes });
}

describe('findCommonCauses', () => {
  it('a /24 and an issuer shared by failing services only', () => {
    const causes = findCommonCauses([
      onNetwork('a', 'down', '203.0.113.7', 'CN=Broken CA'),
      onNetwork('b', 'down', '203.0.113.9', 'CN=Broken CA'),
      onNetwork('c', 'up', '198.51.100.1', 'CN=Good CA'),
    ]);
    expect(causes.map((c) => c.summary)).toEqual([
      '2 of 2 down services are on 203.0.113.0/24',
      '2 of 2 down services have certificates issued by CN=Broken CA',
      '2 of 2 down services fail with http.status',
    ]);
    expect(headlineCauses(causes).map((c) => c.kind)).toEqual(['network']);
  });

  it('nothing when a healthy service shares the value, or when fewer than two fail', () => {
    expect(findCommonCauses([onNetwork('a', 'down', '203.0.113.7'), onNetwork('b', 'degraded', '203.0.113.9'), onNetwork('c', 'up', '203.0.113.1')]).map((c) => c.kind)).toEqual(['code']);
    expect(findCommonCauses([onNetwork('a', 'down', '203.0.113.7'), onNetwork('c', 'up', '203.0.113.1')])).toEqual([]);
  });

  it("the healthy service's network as the tcp probe reports it, with a port (found in the network lab, AWS 2021)", () => {
    const kinds = (healthy: string) => findCommonCauses([onNetwork('a', 'down', '203.0.113.7'), onNetwork('b', 'down', '203.0.113.9'), onNetwork('c', 'up', healthy)]).map((c) => c.kind);
    expect(kinds('203.0.113.32:443')).toEqual(['code']);
    expect(findCommonCauses([onNetwork('a', 'down', '2001:db8:1::7'), onNetwork('b', 'down', '2001:db8:1::9'), onNetwork('c', 'up', '[2001:db8:1::1]:443')]).map((c) => c.kind)).toEqual(['code']);
    expect(kinds('198.51.100.1:443')).toEqual(['network', 'code']);
  });

  it('services measured up that the vendor says are in an outage share nothing measured', () => {
    const vendorSays = (name: string) => service(name, 'degraded', { code: 'vendor.incident' });
    expect(findCommonCauses([vendorSays('slack'), vendorSays('github')])).toEqual([]);
  });
});

describe('only what can explain the failure', () => {
  const probe = (kind: 'dns' | 'tcp' | 'tls' | 'http', status: ServiceResult['status'], code: ServiceResult['code'], details: object) =>
    ({ kind, status, code, reason: String(code ?? 'ok'), durationMs: 1, attempts: 1, details }) as ServiceResult['probes'][number];
  /** A site on 203.0.113.x whose DNS, TCP, TLS and HTTP are as given. */
  const site = (name: string, failing: { at: 'dns' | 'tls' | 'http'; code: NonNullable<ServiceResult['code']> } | undefined, facts: { issuer: string; ns: string; resolvers?: string[] }) => {
    const at = (kind: string) => (failing?.at === kind ? ('down' as const) : ('up' as const));
    const codeAt = (kind: string) => (failing?.at === kind ? failing.code : null);
    const probes = [
      probe('dns', at('dns'), codeAt('dns'), { nameServers: [facts.ns], resolvers: facts.resolvers, records: [] }),
      ...(failing?.at === 'dns' ? [] : [probe('tcp', 'up', null, { address: '203.0.113.7:443' }), probe('tls', at('tls'), codeAt('tls'), { chain: [certificate(facts.issuer)] }), probe('http', at('http'), codeAt('http'), { status: 200 })]),
    ];
    return service(name, failing ? 'down' : 'up', { code: failing?.code ?? null, probes });
  };

  it("outage's own failures are no cause the services share (local.resources, internal.error, tcp.forbidden)", () => {
    for (const code of ['local.resources', 'internal.error', 'tcp.forbidden'] as const) {
      expect(findCommonCauses([service('a', 'unknown', { code }), service('b', 'unknown', { code }), service('c', 'up')])).toEqual([]);
    }
  });

  it("a certificate issuer explains TLS failures only, a domain's name servers DNS failures only", () => {
    const healthy = site('ok', undefined, { issuer: 'CN=Other CA', ns: 'ns1.other-dns.test' });
    const http500 = (name: string) => site(name, { at: 'http', code: 'http.status' }, { issuer: 'CN=R3', ns: 'ns1.dns-x.test' });
    expect(findCommonCauses([http500('a'), http500('b'), healthy]).map((c) => c.kind)).toEqual(['code']);
    const untrusted = (name: string) => site(name, { at: 'tls', code: 'tls.untrusted' }, { issuer: 'CN=R3', ns: 'ns1.dns-x.test' });
    expect(findCommonCauses([untrusted('a'), untrusted('b'), healthy]).map((c) => c.kind)).toEqual(['issuer', 'code']);
    const servfail = (name: string) => site(name, { at: 'dns', code: 'dns.servfail' }, { issuer: 'CN=R3', ns: 'ns1.dns-x.test' });
    expect(findCommonCauses([servfail('a'), servfail('b'), healthy]).map((c) => c.kind)).toEqual(['ns', 'code']);
  });

  it('one resolver down: the services whose lookups through it failed are grouped by it', () => {
    const through = (name: string, resolvers: string[] | undefined, failing?: 'dns.timeout' | 'dns.refused' | 'dns.servfail' | 'dns.nxdomain') =>
      site(name, failing ? { at: 'dns', code: failing } : undefined, { issuer: 'CN=R3', ns: `ns1.${name}.test`, resolvers });
    const causes = findCommonCauses([through('a', ['192.0.2.53'], 'dns.timeout'), through('b', ['192.0.2.53'], 'dns.timeout'), through('c', ['198.51.100.53'])]);
    expect(causes[0]).toMatchObject({ kind: 'resolver', value: '192.0.2.53', services: ['a', 'b'], summary: '2 of 2 down services look names up through resolver 192.0.2.53' });
    // A resolver that answered a healthy service's lookup is not the cause.
    expect(findCommonCauses([through('a', ['192.0.2.53'], 'dns.timeout'), through('b', ['192.0.2.53'], 'dns.timeout'), through('c', ['192.0.2.53'])]).map((c) => c.kind)).toEqual(['code']);
    expect(findCommonCauses([through('a', ['192.0.2.53'], 'dns.refused'), through('b', ['192.0.2.53'], 'dns.refused')])[0]).toMatchObject({ kind: 'resolver' });
  });

  it('a resolver that answered (NXDOMAIN, SERVFAIL from the domain\'s servers), or the system resolver the canaries watch, is no resolver cause', () => {
    const through = (name: string, resolvers: string[] | undefined, failing: 'dns.timeout' | 'dns.servfail' | 'dns.nxdomain') =>
      site(name, { at: 'dns', code: failing }, { issuer: 'CN=R3', ns: `ns1.${name}.test`, resolvers });
    // Facebook 2021: every name SERVFAIL through a resolver that works — the names' servers are gone.
    expect(findCommonCauses([through('a', ['192.0.2.53'], 'dns.servfail'), through('b', ['192.0.2.53'], 'dns.servfail')]).map((c) => c.kind)).toEqual(['code']);
    expect(findCommonCauses([through('a', ['192.0.2.53'], 'dns.nxdomain'), through('b', ['192.0.2.53'], 'dns.nxdomain')]).map((c) => c.kind)).toEqual(['code']);
    expect(findCommonCauses([through('a', undefined, 'dns.timeout'), through('b', undefined, 'dns.timeout')]).map((c) => c.kind)).toEqual(['code']);
  });

  it("pages up whose asset host fails (Amazon 2020) are grouped by that host, not by their own network", () => {
    const hostsProbe = (hosts: { host: string; status: ServiceResult['status']; code: ServiceResult['code'] }[]) =>
      ({ kind: 'hosts', status: hosts.some((h) => h.status !== 'up') ? 'degraded' : 'up', code: hosts.find((h) => h.code)?.code ?? null, reason: '', durationMs: 1, attempts: 1, details: { assets: true, assetHostsFound: hosts.length, hosts: hosts.map((h) => ({ ...h, url: `https://${h.host}/`, source: 'page', reason: '', durationMs: 1 })) } }) as ServiceResult['probes'][number];
    const page = (name: string, address: string, hosts: Parameters<typeof hostsProbe>[0]) => {
      const own = onNetwork(name, 'up', address);
      const probes = [...own.probes, hostsProbe(hosts)];
      const failing = probes.at(-1)?.status === 'degraded';
      return { ...own, status: failing ? ('degraded' as const) : ('up' as const), code: failing ? ('tls.expired' as const) : null, probes };
    };
    const expired = { host: 'images.test', status: 'down' as const, code: 'tls.expired' as const };
    const causes = findCommonCauses([page('shop', '203.0.113.7', [expired]), page('store', '203.0.113.9', [expired]), page('blog', '198.51.100.1', [])]);
    expect(causes.map((c) => c.summary)).toEqual(['2 of 2 failing services depend on images.test', '2 of 2 failing services fail with tls.expired']);
    // A host that answered for a healthy service is not the cause.
    const answered = { host: 'images.test', status: 'up' as const, code: null };
    expect(findCommonCauses([page('shop', '203.0.113.7', [expired]), page('store', '203.0.113.9', [expired]), page('blog', '198.51.100.1', [answered])]).map((c) => c.kind)).toEqual(['code']);
  });
});

describe('name servers (the Dyn 2016 pattern)', () => {
  const behind = (name: string, status: ServiceResult['status'], nameServers: string[]) =>
    service(name, status, { code: status === 'up' ? null : 'dns.servfail', probes: [{ kind: 'dns', status: status === 'up' ? 'up' : 'down', code: null, reason: '', durationMs: 1, attempts: 1, details: { nameServers } }] });

  it('failing services whose domains use one DNS provider', () => {
    const causes = findCommonCauses([
      behind('a', 'down', ['ns1.p31.dynect.net', 'ns2.p31.dynect.net']),
      behind('b', 'down', ['ns3.p05.dynect.net']),
      behind('c', 'up', ['ns-1.awsdns-01.org']),
    ]);
    expect(causes[0]).toMatchObject({ kind: 'ns', value: 'dynect.net', summary: '2 of 2 down services use name servers at *.dynect.net' });
  });
});

describe('keys', () => {
  it.each([
    ['edge-7.cdn-x.net.', 'cdn-x.net'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['d111.cloudfront.net', 'cloudfront.net'],
  ])('registrableDomain(%s) = %s', (name, domain) => expect(registrableDomain(name)).toBe(domain));

  it.each([
    ['203.0.113.200', '203.0.113.0/24'],
    ['2001:db8:1:2::5', '2001:db8:1::/48'],
    ['2001:0db8:0000::1', '2001:db8:0::/48'],
  ])('networkOf(%s) = %s', (address, network) => expect(networkOf(address)).toBe(network));
});
