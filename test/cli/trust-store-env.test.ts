/**
 * SSL_CERT_FILE / SSL_CERT_DIR replace the default roots. Pointing them at nothing usable (a typo,
 * a bundle this image lacks, a directory as the file) made every certificate untrusted: every
 * healthy https service `tls.untrusted`, down — a false alarm caused by the local set-up. It is a
 * configuration error naming the variable and why, before anything runs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { ok, startHttp, startHttps, startTcp, type TestServer } from '../helpers/servers.js';

let pki: TestPki;
let secure: TestServer;
let tcp: TestServer;
let dir: string;
beforeAll(async () => {
  pki = await testPki();
  [secure, tcp] = await Promise.all([startHttps(pki.valid, ok), startTcp((socket) => socket.end())]);
  dir = mkdtempSync(join(tmpdir(), 'outage-trust-env-'));
});
afterAll(async () => {
  await Promise.all([secure.close(), tcp.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const target = () => `https://localhost:${secure.port}/`;
const noStack = /\n\s+at .+:\d+:\d+/;

describe('SSL_CERT_FILE / SSL_CERT_DIR holding no certificate', () => {
  it.each([
    ['a file that does not exist', () => ({ SSL_CERT_FILE: join(dir, 'missing.pem') }), /SSL_CERT_FILE=\S+missing\.pem does not exist\. When set, SSL_CERT_FILE and SSL_CERT_DIR replace/],
    ['a directory as the file', () => ({ SSL_CERT_FILE: dir }), /SSL_CERT_FILE=\S+ is a directory \(a directory of certificates goes in SSL_CERT_DIR\)/],
    ['a file of no certificate', () => ({ SSL_CERT_FILE: writeText('notes.txt', 'not a certificate\n') }), /SSL_CERT_FILE=\S+notes\.txt holds no PEM certificate/],
    ['a directory that does not exist', () => ({ SSL_CERT_DIR: join(dir, 'no-such-dir') }), /SSL_CERT_DIR=\S+no-such-dir does not exist/],
  ])('%s: exit 78 naming the variable, not every https service down', async (_what, env, message) => {
    const r = await runCli(['check', '--no-canaries', target()], { env: env() });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/replace the system's trusted CAs, so every certificate would be untrusted/);
    expect(r.stderr).not.toMatch(noStack);
    expect(r.stdout).toBe('');
  });

  it('wait says so at once too, rather than wait its whole timeout on a false tls.untrusted', async () => {
    const r = await runCli(['wait', '--no-canaries', '--timeout', '30s', target()], { env: { SSL_CERT_FILE: join(dir, 'missing.pem') } });
    expect(r.code).toBe(78);
    expect(r.durationMs).toBeLessThan(5_000);
  });

  it('is a plugin UNKNOWN under --format nagios', async () => {
    const r = await runCli(['check', '--no-canaries', '-f', 'nagios', target()], { env: { SSL_CERT_FILE: join(dir, 'missing.pem') } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^OUTAGE UNKNOWN - .*SSL_CERT_FILE=\S+ does not exist/);
  });

  it('one of the two holding the root is enough, as for OpenSSL: the service is up', async () => {
    const certs = join(dir, 'certs');
    mkdirSync(certs, { recursive: true });
    copyFileSync(pki.rootFile, join(certs, 'root.pem'));
    const r = await runCli(['check', '--no-canaries', target()], { env: { SSL_CERT_FILE: join(dir, 'missing.pem'), SSL_CERT_DIR: certs } });
    expect(r.code).toBe(0);
  });

  it('a check that verifies no certificate against them does not need them: tcp, plain http, its own tls.ca, tls: false', async () => {
    const env = { SSL_CERT_FILE: join(dir, 'missing.pem'), SSL_CERT_DIR: join(dir, 'no-such-dir') };
    expect((await runCli(['check', '--no-canaries', `127.0.0.1:${tcp.port}`], { env })).code).toBe(0);
    const plain = await startHttp(ok);
    try {
      const r = await runCli(['check', '--no-canaries', plain.url], { env });
      expect(r.code, r.stderr).toBe(0);
      const config = writeText('own-trust.json', JSON.stringify({ services: [
        { name: 'own-ca', url: target(), tls: { ca: pki.rootFile } },
        { name: 'unverified', url: target(), tls: false },
      ] }));
      const own = await runCli(['check', '--no-canaries', '-c', config], { env });
      expect(own.code, own.stderr + own.stdout).toBe(0);
    } finally {
      await plain.close();
    }
  });
});

/**
 * NODE_EXTRA_CA_CERTS adds CAs rather than replacing them, so one that cannot be read leaves the
 * public services fine and only those behind its CAs untrusted: the run goes on (as Node goes on,
 * with a warning), and each such failure says that the file outage was told to trust was not read.
 */
describe('NODE_EXTRA_CA_CERTS that cannot be read', () => {
  it('a service behind its CA is tls.untrusted, and the reason says the variable names no file', async () => {
    const missing = join(dir, 'corporate-ca.pem');
    const r = await runCli(['check', '--no-canaries', '--retries', '0', '--format', 'json', target()], { env: { NODE_EXTRA_CA_CERTS: missing } });
    expect(r.code).toBe(2);
    const service = JSON.parse(r.stdout).services[0];
    expect(service).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(service.reason).toContain(`; NODE_EXTRA_CA_CERTS=${missing} does not exist, so none of the CAs it was to add is trusted`);
  });
});

function writeText(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
