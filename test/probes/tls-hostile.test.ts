/**
 * Certificates that Node alone would misjudge: a name only in the CN (browsers and Go reject it),
 * also beside an IP address in the subjectAltName; a partial wildcard (`w*.example.com`: browsers,
 * curl and Go accept only a whole leftmost `*`); a chain deeper than ten (an intermediate far up
 * the chain still limits the service's life). And a URL host with a trailing dot, whose SNI is
 * sent without it (RFC 6066), as curl and browsers send it.
 */
import { createSecureContext } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { identity, issue, testPki, type TestPki } from '../helpers/certs.js';
import { checkOne } from '../helpers/check.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttps } from '../helpers/servers.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

describe('hostile certificates', () => {
  it('a certificate that names the host only in its subject CN is tls.hostname_mismatch', async () => {
    const cnOnly = await issue({ name: 'localhost', issuer: pki.root });
    const server = own(await startHttps(identity(cnOnly), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.hostname_mismatch' });
    expect(result.reason).toMatch(/only in its subject CN, with no subjectAltName/);
  });

  it('a name only in the CN beside an IP address in the subjectAltName is tls.hostname_mismatch by name, up by the address', async () => {
    // curl, browsers and Go look at DNS names only once a subjectAltName lists any name; Node falls back to the CN.
    const cnAndIp = await issue({ name: 'localhost', hosts: ['127.0.0.1'], issuer: pki.root });
    const server = own(await startHttps(identity(cnAndIp), ok));
    const byName = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(byName).toMatchObject({ status: 'down', code: 'tls.hostname_mismatch' });
    expect(byName.reason).toMatch(/names localhost only in its subject CN; its subjectAltName has no DNS name \(IP Address:127\.0\.0\.1\)/);
    const byAddress = await checkOne({ url: `https://127.0.0.1:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(byAddress).toMatchObject({ status: 'up', code: null });
  });

  it.each([
    ['w*.a.localhost', 'down'],
    ['*w.a.localhost', 'down'],
    ['w*w.a.localhost', 'down'],
    ['*.a.localhost', 'up'],
  ])('a certificate for %s, asked for www.a.localhost, is %s (only a whole leftmost * is a wildcard)', async (pattern, status) => {
    const cert = await issue({ name: 'wildcard', hosts: [pattern], issuer: pki.root });
    const server = own(await startHttps(identity(cert), ok));
    const result = await checkOne({ url: `https://www.a.localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result.status).toBe(status);
    if (status === 'down') {
      expect(result.code).toBe('tls.hostname_mismatch');
      expect(result.reason).toContain(`only by the partial wildcard ${pattern}`);
    }
  });

  it('a host with a trailing dot sends its SNI without the dot, and a virtual host picked by SNI is up', async () => {
    const right = await issue({ name: 'a.localhost', hosts: ['a.localhost'], issuer: pki.root });
    const fallback = await issue({ name: 'default', hosts: ['default.test'], issuer: pki.root });
    const seen: string[] = [];
    const server = own(
      await startHttps(
        {
          ...identity(fallback),
          SNICallback: (name, callback) => {
            seen.push(name);
            callback(null, createSecureContext(identity(name === 'a.localhost' ? right : fallback)));
          },
        },
        ok,
      ),
    );
    const result = await checkOne({ url: `https://a.localhost.:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(seen).toEqual(['a.localhost']);
  });

  it('a certificate signed with SHA-1 is tls.untrusted, saying why rather than "UNSPECIFIED"', async () => {
    const weak = await issue({ name: 'localhost', hosts: ['localhost'], issuer: pki.root, hash: 'SHA-1' });
    const server = own(await startHttps({ ...identity(weak), ciphers: 'DEFAULT:@SECLEVEL=0' }, ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toMatch(/digest algorithm too weak/);
    expect(result.reason).not.toContain('UNSPECIFIED');
  });

  it('a chain fourteen intermediates deep is judged on its earliest expiry, at any depth', async () => {
    // root → i1 (expires in 3 days) → i2 → … → i14 → leaf
    const intermediates = [await issue({ name: 'Deep 1', ca: true, issuer: pki.root, validToDays: 3.5 })];
    for (let i = 2; i <= 14; i++) intermediates.push(await issue({ name: `Deep ${i}`, ca: true, issuer: intermediates.at(-1), validToDays: 400 }));
    const leaf = await issue({ name: 'localhost', hosts: ['localhost', '127.0.0.1'], issuer: intermediates.at(-1), validToDays: 200 });
    const server = own(await startHttps(identity(leaf, ...[...intermediates].reverse()), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
    expect(result.reason).toMatch(/chain certificate CN=Deep 1 expires in 3 days/);
  });

  it('a server certificate made for TLS clients only is tls.untrusted, saying so rather than INVALID_PURPOSE', async () => {
    // OpenSSL, curl ("unsuitable certificate purpose"), browsers and Go all refuse it.
    const clientOnly = await issue({ name: 'localhost', hosts: ['localhost'], issuer: pki.root, extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'] });
    const server = own(await startHttps(identity(clientOnly), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('server certificate CN=localhost is not for TLS servers: its extended key usage allows only TLS client authentication (unsuitable certificate purpose)');
  });

  it('an intermediate that is not a CA is tls.untrusted, naming it', async () => {
    const notCa = await issue({ name: 'Not A CA', issuer: pki.root });
    const leaf = await issue({ name: 'localhost', hosts: ['localhost'], issuer: notCa });
    const server = own(await startHttps(identity(leaf, notCa), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('intermediate CN=Not A CA is not a CA certificate (unsuitable certificate purpose)');
  });

  it('a certificate for sixty other names (a shared CDN certificate) is tls.hostname_mismatch naming a few, not all sixty', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `customer-${i}.cdn.test`);
    const shared = await issue({ name: 'cdn.test', hosts: names, issuer: pki.root });
    const server = own(await startHttps(identity(shared), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.hostname_mismatch' });
    expect(result.reason).toBe('certificate is not valid for localhost (it covers customer-0.cdn.test, customer-1.cdn.test, customer-2.cdn.test, customer-3.cdn.test and 56 more)');
  });

  it('a CA under a path length constraint of 0 that issued another CA is tls.untrusted in OpenSSL\'s words, as curl says it', async () => {
    const constrained = await issue({ name: 'Constrained CA', ca: true, issuer: pki.root, pathLength: 0 });
    const below = await issue({ name: 'One CA Too Many', ca: true, issuer: constrained });
    const leaf = await issue({ name: 'localhost', hosts: ['localhost'], issuer: below });
    const server = own(await startHttps(identity(leaf, below, constrained), ok));
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('certificate not trusted: path length constraint exceeded (PATH_LENGTH_EXCEEDED)');
  });
});
