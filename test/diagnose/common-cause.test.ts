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
