/**
 * Certificates that Node alone would misjudge: a name only in the CN (browsers and Go reject it),
 * and a chain deeper than ten (an intermediate far up the chain still limits the service's life).
 */
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
});
