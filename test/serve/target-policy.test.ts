/** The SSRF guard as a table: what a pattern admits, and which addresses are never connected to. */
import { describe, expect, it } from 'vitest';
import { createTargetPolicy, isForbiddenAddress, parsePattern } from '../../src/serve/target-policy.js';

const https = (host: string, port = 443) => ({ scheme: 'https' as const, host, port });
const tcp = (host: string, port: number) => ({ scheme: 'tcp' as const, host, port });

describe('forbidden addresses', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.0.1', true],
    ['169.254.170.2', true],
    ['::ffff:169.254.169.254', true],
    ['fe80::1', true],
    ['fd00:ec2::254', true],
    ['100.100.100.200', true],
    ['192.0.0.192', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['10.1.2.3', false],
    ['fd00:ec2::253', false],
    ['169.255.0.1', false],
  ])('%s forbidden: %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });
});

describe('with no --allow-target', () => {
  const policy = createTargetPolicy([]);
  it('admits any name and refuses link-local literals and metadata names', () => {
    expect(policy.refuse(https('example.com'))).toBeUndefined();
    expect(policy.refuse(https('169.254.169.254', 80))).toMatch(/link-local or a cloud metadata address/);
    expect(policy.refuse(https('fd00:ec2::254', 80))).toMatch(/metadata/);
    expect(policy.refuse(https('metadata.google.internal', 80))).toMatch(/cloud metadata service/);
    expect(policy.refuse(https('Metadata.Google.Internal.', 80))).toMatch(/cloud metadata service/);
  });

  it('guards the resolved address: a name that resolves to a metadata address is refused with tcp.forbidden', () => {
    const guard = policy.guardFor(https('innocent.example'));
    expect(guard('169.254.169.254')?.code).toBe('tcp.forbidden');
    expect(guard('::ffff:169.254.169.254')?.code).toBe('tcp.forbidden');
    expect(guard('203.0.113.7')).toBeUndefined();
  });
});

describe('with --allow-target', () => {
  const names = createTargetPolicy(['*.example.com', 'https://api.test', 'tcp://db.test:5432']);
  it.each([
    [https('www.example.com'), true],
    [https('example.com'), false],
    [https('api.test'), true],
    [{ scheme: 'http' as const, host: 'api.test', port: 80 }, false],
    [tcp('db.test', 5432), true],
    [tcp('db.test', 5433), false],
    [https('10.2.3.4'), false],
  ])('names only: %o admitted: %s', (target, admitted) => {
    expect(names.refuse(target) === undefined).toBe(admitted);
  });

  const policy = createTargetPolicy(['*.example.com', '10.0.0.0/8', '[fd00::]/8:443', '169.254.169.254/32']);
  it.each([
    [https('10.2.3.4'), true],
    [https('11.2.3.4'), false],
    [https('fd00::5'), true],
    [https('fd00::5', 80), false],
    // A name is judged by where it resolves once a CIDR could admit it.
    [https('internal.corp'), true],
  ])('with CIDRs: %o admitted: %s', (target, admitted) => {
    expect(policy.refuse(target) === undefined).toBe(admitted);
  });

  it('holds a name admitted only through a CIDR to that CIDR when it connects', () => {
    const guard = policy.guardFor(https('internal.corp'));
    expect(guard('10.9.9.9')).toBeUndefined();
    expect(guard('192.0.2.1')?.reason).toMatch(/outside every --allow-target range/);
  });

  it('lets a CIDR that names a metadata address unlock it, and nothing else does', () => {
    expect(policy.guardFor(https('www.example.com'))('169.254.169.254')).toBeUndefined();
    expect(policy.guardFor(https('www.example.com'))('169.254.1.1')?.code).toBe('tcp.forbidden');
    expect(createTargetPolicy(['*']).guardFor(https('x.test'))('169.254.169.254')?.code).toBe('tcp.forbidden');
  });
});

describe('bad patterns', () => {
  it.each([
    ['ftp://x.test', /scheme/],
    ['10.0.0.0/33', /too long/],
    ['x.test:99999', /port/],
    ['x.test:http', /port/],
    ['', /no host/],
    ['exa mple.com', /host must be/],
  ])('%j is a usage error', (text, message) => {
    expect(() => parsePattern(text)).toThrow(message);
  });
});
