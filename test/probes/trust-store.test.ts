/**
 * SSL_CERT_FILE and SSL_CERT_DIR choose the roots, as they do for openssl and curl: the handshake
 * and the chain in the report both use them. Each case runs the real CLI, because the trust store
 * is decided once per process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttps, type TestServer } from '../helpers/servers.js';

let pki: TestPki;
let server: TestServer;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
  server = own(await startHttps(pki.valid, ok));
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outage-certdir-'));
  dirs.push(dir);
  return dir;
}

async function check(env: NodeJS.ProcessEnv) {
  const r = await runCli(['check', `https://localhost:${server.port}/`, '--json', '--no-canaries', '--retries', '0'], { env });
  const service = JSON.parse(r.stdout).services[0];
  return { code: r.code, service, tls: service.probes.find((p: { kind: string }) => p.kind === 'tls') };
}

describe('the trust store', () => {
  it("without SSL_CERT_FILE a private root is untrusted (Node's default roots)", async () => {
    const { code, service } = await check({});
    expect(code).toBe(2);
    expect(service.code).toBe('tls.untrusted');
  });

  it('SSL_CERT_FILE supplies the roots: the handshake is trusted and the chain ends at that root', async () => {
    const { code, service, tls } = await check({ SSL_CERT_FILE: pki.rootFile });
    expect(code).toBe(0);
    expect(service.status).toBe('up');
    expect(tls.details.chain.map((c: { subject: string }) => c.subject)).toEqual(['CN=localhost', 'CN=Outage Test Intermediate', 'CN=Outage Test Root']);
  });

  it('SSL_CERT_DIR supplies the roots from every PEM file in it', async () => {
    const dir = tempDir();
    copyFileSync(pki.rootFile, join(dir, 'private-root.crt'));
    const { code, tls } = await check({ SSL_CERT_DIR: dir });
    expect(code).toBe(0);
    expect(tls.details.chain.at(-1).subject).toBe('CN=Outage Test Root');
  });

  it('a store that lists every root several times, with a damaged block among them, still trusts its roots and names the root once', async () => {
    // As a Debian store with SSL_CERT_FILE set to its bundle: the bundle, a file per root, hash links.
    const dir = tempDir();
    const damaged = '-----BEGIN CERTIFICATE-----\nMIIBdamaged\n-----END CERTIFICATE-----';
    const bundle = [damaged, ...rootCertificates, readFileSync(pki.rootFile, 'latin1'), damaged].join('\n');
    writeFileSync(join(dir, 'ca-certificates.crt'), bundle);
    copyFileSync(pki.rootFile, join(dir, 'private-root.pem'));
    copyFileSync(pki.rootFile, join(dir, 'a1b2c3d4.0'));
    rootCertificates.slice(0, 20).forEach((pem, i) => writeFileSync(join(dir, `root-${i}.pem`), pem));
    const { code, service, tls } = await check({ SSL_CERT_FILE: join(dir, 'ca-certificates.crt'), SSL_CERT_DIR: dir });
    expect(code).toBe(0);
    expect(service.status).toBe('up');
    expect(tls.details.chain.map((c: { subject: string }) => c.subject)).toEqual(['CN=localhost', 'CN=Outage Test Intermediate', 'CN=Outage Test Root']);
  });

  it('a root reached by several names (links, hash links, the file itself) is read once and still trusted', async () => {
    // As Debian's: /etc/ssl/certs/NAME.pem links to the root elsewhere, HASH.0 links to NAME.pem.
    const elsewhere = tempDir();
    const dir = tempDir();
    copyFileSync(pki.rootFile, join(elsewhere, 'private-root.crt'));
    symlinkSync(join(elsewhere, 'private-root.crt'), join(dir, 'private-root.pem'));
    symlinkSync('private-root.pem', join(dir, 'a1b2c3d4.0'));
    linkSync(join(elsewhere, 'private-root.crt'), join(dir, 'hard-link.crt'));
    const { code, service, tls } = await check({ SSL_CERT_FILE: join(elsewhere, 'private-root.crt'), SSL_CERT_DIR: dir });
    expect(code).toBe(0);
    expect(service.status).toBe('up');
    expect(tls.details.chain.at(-1).subject).toBe('CN=Outage Test Root');
  });

  it('a damaged copy of a root listed before the good one does not cost that root', async () => {
    // Node's base64 reader skips the stray characters that OpenSSL refuses: told apart by their
    // text, both copies reach OpenSSL, which drops the damaged one and keeps the good one.
    const good = readFileSync(pki.rootFile, 'latin1').trim();
    const lines = good.split('\n');
    for (const stray of ['!', '.', '-_']) {
      const damaged = [lines[0], `${lines[1]?.slice(0, 10)}${stray}${lines[1]?.slice(10)}`, ...lines.slice(2)].join('\n');
      const file = join(tempDir(), 'bundle.pem');
      writeFileSync(file, `${damaged}\n${good}\n`);
      const { code, service } = await check({ SSL_CERT_FILE: file });
      expect({ stray, code, status: service.status }).toEqual({ stray, code: 0, status: 'up' });
    }
  });

  it('SSL_CERT_FILE may be a pipe, as with SSL_CERT_FILE=<(…)', async () => {
    const fifo = join(tempDir(), 'roots');
    execFileSync('mkfifo', [fifo]);
    // Opening a pipe for writing waits for its reader: outage, once it reads the store.
    createWriteStream(fifo).end(readFileSync(pki.rootFile));
    const { code, tls } = await check({ SSL_CERT_FILE: fifo });
    expect(code).toBe(0);
    expect(tls.details.chain.at(-1).subject).toBe('CN=Outage Test Root');
  });

  it('SSL_CERT_FILE replaces the default roots: a file without this root leaves it untrusted', async () => {
    // A store holding another root (a public one): not this one, and not Node's defaults added to it.
    // (A file holding no certificate at all is a configuration error: test/cli/trust-store-env.test.ts.)
    const other = join(tempDir(), 'other.pem');
    writeFileSync(other, rootCertificates[0] as string);
    const { code, service } = await check({ SSL_CERT_FILE: other });
    expect(code).toBe(2);
    expect(service.code).toBe('tls.untrusted');
  });
});
