/**
 * Client certificates (`tls.cert`, `tls.key`, `tls.passphrase`) against loopback servers that
 * require one, under TLS 1.2 and TLS 1.3. Under 1.3 the server's refusal arrives after the
 * handshake, on the HTTP request: both versions must give the one code, never http.protocol.
 */
import { createPrivateKey } from 'node:crypto';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps, type ServerOptions } from 'node:https';
import { createSecureServer } from 'node:http2';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { issue, testPki, type Issued, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { configFile, runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';

const PASSPHRASE = 'correct horse battery';
let pki: TestPki;
let files: { cert: string; key: string; encryptedKey: string; strangerCert: string; strangerKey: string };
let clientCa: Issued;
const own = closeAfterAll();

beforeAll(async () => {
  pki = await testPki();
  clientCa = await issue({ name: 'Outage Test Client CA', ca: true, validFromDays: -10, validToDays: 365 });
  const client = await issue({ name: 'outage-client', issuer: clientCa });
  // A certificate from a CA the server does not trust: it must be rejected, not called missing.
  const stranger = await issue({ name: 'stranger-client' });
  const dir = mkdtempSync(join(tmpdir(), 'outage-client-cert-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const encrypted = createPrivateKey(client.keyPem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });
  files = {
    cert: write('client.pem', client.certPem),
    key: write('client.key', client.keyPem),
    encryptedKey: write('client.enc.key', encrypted.toString()),
    strangerCert: write('stranger.pem', stranger.certPem),
    strangerKey: write('stranger.key', stranger.keyPem),
  };
});

/** An https server that requires a client certificate from the test client CA (`optional`: asks, accepts none). */
async function mtlsServer(maxVersion: 'TLSv1.2' | 'TLSv1.3', optional = false) {
  const options: ServerOptions = { ...pki.valid, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: !optional, maxVersion, minVersion: maxVersion };
  const server = createHttps(options, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(peer?.subject?.CN ? `hello ${peer.subject.CN}` : 'hello anonymous');
  });
  return listen(server, 'https', 'localhost');
}

function listen(server: ReturnType<typeof createHttp> | ReturnType<typeof createHttps>, scheme: string, host: string) {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise<{ url: string; port: number; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(
        own({
          port,
          url: `${scheme}://${host}:${port}/`,
          close: () =>
            new Promise<void>((done) => {
              for (const s of sockets) s.destroy();
              server.close(() => done());
            }),
        }),
      );
    });
  });
}

/** The same server speaking only HTTP/2 (a gRPC gateway, an Envoy listener): outage asks again offering h2. */
async function mtlsH2Server(maxVersion: 'TLSv1.2' | 'TLSv1.3') {
  const server = createSecureServer({ ...pki.valid, ca: clientCa.certPem, requestCert: true, rejectUnauthorized: true, maxVersion, minVersion: maxVersion, allowHTTP1: false }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  });
  return listen(server as unknown as ReturnType<typeof createHttps>, 'https', 'localhost');
}

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('client certificates at an HTTP/2-only server under %s', (version) => {
  it('with the certificate it is up; without one it is tls.client_cert_required, as over HTTP/1.1', async () => {
    const server = await mtlsH2Server(version);
    const up = await checkOne({ url: server.url, tls: { ca: pki.rootFile, cert: files.cert, key: files.key } });
    expect(up).toMatchObject({ status: 'up', code: null });
    expect(probe(up, 'tls').details.alpn).toBe('h2');
    for (let i = 0; i < 5; i++) {
      const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile } });
      expect(result).toMatchObject({ status: 'down', code: 'tls.client_cert_required' });
      expect(result.reason).toMatch(/tls\.cert and tls\.key/);
    }
  });
});

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('client certificates under %s', (version) => {
  it('with the certificate the service is up, and the server saw our certificate', async () => {
    const server = await mtlsServer(version);
    const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile, cert: files.cert, key: files.key }, http: { expect: { body: 'hello outage-client' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
    expect(probe(result, 'tls').details.protocol).toBe(version);
  });

  it('without one it is tls.client_cert_required — not http.protocol, not tls.handshake_failed', async () => {
    const server = await mtlsServer(version);
    // Several times: under TLS 1.3 the refusal races the request, and every order must agree.
    for (let i = 0; i < 5; i++) {
      const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile } });
      expect(result).toMatchObject({ status: 'down', code: 'tls.client_cert_required' });
      expect(result.reason).toMatch(/requires a client certificate|asked for a client certificate/);
      expect(result.reason).toMatch(/tls\.cert and tls\.key/);
    }
  });

  it('an encrypted key with its passphrase from ${VAR} is up', async () => {
    const server = await mtlsServer(version);
    process.env.OUTAGE_TEST_KEY_PASSPHRASE = PASSPHRASE;
    try {
      const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile, cert: files.cert, key: files.encryptedKey, passphrase: '${OUTAGE_TEST_KEY_PASSPHRASE}' } });
      expect(result).toMatchObject({ status: 'up', code: null });
    } finally {
      delete process.env.OUTAGE_TEST_KEY_PASSPHRASE;
    }
  });

  it('a certificate the server does not trust is down, and never called missing', async () => {
    const server = await mtlsServer(version);
    const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile, cert: files.strangerCert, key: files.strangerKey } });
    expect(result.status).toBe('down');
    expect(result.code).not.toBe('tls.client_cert_required');
    // Node's server drops such a client without an alert: during the handshake under TLS 1.2,
    // just after it under TLS 1.3 (where the HTTP request finds the connection closed).
    if (version === 'TLSv1.2') {
      expect(result).toMatchObject({ code: 'tls.handshake_failed' });
      expect(result.reason).toMatch(/after we presented our client certificate/);
    } else {
      expect(result).toMatchObject({ code: 'http.reset' });
    }
  });

  it('a server that asks but does not require a certificate is up without one', async () => {
    const server = await mtlsServer(version, true);
    const result = await checkOne({ url: server.url, tls: { ca: pki.rootFile }, http: { expect: { body: 'hello anonymous' } } });
    expect(result).toMatchObject({ status: 'up', code: null });
  });

  it('a redirect to another origin that requires the certificate presents it there too', async () => {
    const target = await mtlsServer(version);
    const redirect = createHttp((_req, res) => {
      res.writeHead(302, { location: target.url });
      res.end();
    });
    const front = await listen(redirect, 'http', '127.0.0.1');
    const up = await checkOne({ url: front.url, tls: { ca: pki.rootFile, cert: files.cert, key: files.key } });
    expect(up).toMatchObject({ status: 'up', code: null });
    const down = await checkOne({ url: front.url, tls: { ca: pki.rootFile } });
    expect(down).toMatchObject({ status: 'down', code: 'tls.client_cert_required' });
  });
});

describe('client certificate configuration', () => {
  const service = (tls: Record<string, unknown>) => ({ services: [{ name: 'mtls', url: 'https://localhost:1/', tls }] });

  it('a wrong passphrase is a config error at validate time naming the key, never the passphrase', async () => {
    const config = configFile(service({ cert: files.cert, key: files.encryptedKey, passphrase: '${KEY_PASS}' }));
    const result = await runCli(['validate', '-c', config], { env: { KEY_PASS: 'not the passphrase' } });
    expect(result.code).toBe(78);
    const output = result.stdout + result.stderr;
    expect(output).toContain(files.encryptedKey);
    expect(output).toMatch(/services\[0\]\.tls\.passphrase.*wrong tls\.passphrase/);
    expect(output).not.toContain('not the passphrase');
  });

  it('an encrypted key without a passphrase, a lone cert, and a key of another certificate are config errors', async () => {
    const config = configFile({
      services: [
        { name: 'no-passphrase', url: 'https://localhost:1/', tls: { cert: files.cert, key: files.encryptedKey } },
        { name: 'lone-cert', url: 'https://localhost:1/', tls: { cert: files.cert } },
        { name: 'mismatch', url: 'https://localhost:1/', tls: { cert: files.cert, key: files.strangerKey } },
        { name: 'missing', url: 'https://localhost:1/', tls: { cert: 'nowhere.pem', key: files.key } },
      ],
    });
    const result = await runCli(['validate', '-c', config]);
    expect(result.code).toBe(78);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/services\[0\]\.tls\.key.*client\.enc\.key is encrypted: set tls\.passphrase/);
    expect(output).toMatch(/services\[1\]\.tls\.key.*tls\.cert and tls\.key go together/);
    expect(output).toMatch(/services\[2\]\.tls\.key.*stranger\.key is not the private key of the certificate/);
    // Relative to the config file's directory, like tls.ca.
    expect(output).toContain(join(config, '..', 'nowhere.pem'));
  });

  it('the passphrase is never printed, in any format, even when written into the config', async () => {
    const server = await mtlsServer('TLSv1.3');
    const config = configFile({ services: [{ name: 'mtls', url: server.url, tls: { ca: pki.rootFile, cert: files.cert, key: files.encryptedKey, passphrase: PASSPHRASE } }] });
    for (const args of [['check', '-c', config, '--json'], ['check', '-c', config, '-v'], ['list', '-c', config, '--json'], ['validate', '-c', config]]) {
      const result = await runCli(args);
      expect(result.stdout + result.stderr).not.toContain(PASSPHRASE);
      if (args[0] === 'check') expect(result.code).toBe(0);
    }
  });
});
