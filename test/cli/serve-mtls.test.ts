/**
 * Client certificates for `outage serve`, as exporter-toolkit's `client_auth_type` means them (Go's
 * tls.ClientAuthType): which clients may scrape with no certificate, one the client CA issued, or
 * one nobody issued. A refused client gets no probe: a TLS refusal or 401, never an answer.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue, testPki, type Issued, type TestPki } from '../helpers/certs.js';
import { startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let pki: TestPki;
let clientCa: Issued;
let client: Issued;
let stranger: Issued;
let expired: Issued;
let healthy: TestServer;
const running: RunningServe[] = [];

beforeAll(async () => {
  pki = await testPki();
  clientCa = await issue({ name: 'Outage Test Client CA', ca: true });
  client = await issue({ name: 'prometheus', issuer: clientCa });
  stranger = await issue({ name: 'stranger' });
  expired = await issue({ name: 'prometheus-old', issuer: clientCa, validFromDays: -30, validToDays: -1 });
  healthy = await startHttp(ok);
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await healthy?.close();
});

async function serveRequiring(clientAuth: string): Promise<string> {
  const base = writeConfig('', 'unused');
  const files = { cert: `${base}.cert.pem`, key: `${base}.key.pem`, ca: `${base}.client-ca.pem` };
  writeFileSync(files.cert, pki.valid.cert);
  writeFileSync(files.key, pki.valid.key);
  writeFileSync(files.ca, clientCa.certPem);
  const web = writeConfig(
    ['tls_server_config:', `  cert_file: ${files.cert}`, `  key_file: ${files.key}`, `  client_ca_file: ${files.ca}`, `  client_auth_type: ${clientAuth}`].join('\n'),
    'web.yml',
  );
  const serve = await startServe(['--web.config.file', web]);
  running.push(serve);
  return serve.url.replace('127.0.0.1', 'localhost');
}

/** The HTTP status of a probe asked with `identity` (or none); 'refused' when TLS refused the client. */
function scrape(base: string, identity: Issued | undefined): Promise<number | 'refused'> {
  return new Promise((resolve) => {
    const url = `${base}/probe?target=${encodeURIComponent(healthy.url)}`;
    const req = request(url, { agent: false, ca: pki.root.certPem, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('refused'));
    });
    req.on('error', () => resolve('refused'));
    req.end();
  });
}

const refusedOr401 = (status: number | 'refused') => status === 'refused' || status === 401;

describe('outage serve with client_auth_type', () => {
  it('RequireAndVerifyClientCert: only a certificate the client CA issued', async () => {
    const base = await serveRequiring('RequireAndVerifyClientCert');
    expect(await scrape(base, client)).toBe(200);
    expect(refusedOr401(await scrape(base, undefined))).toBe(true);
    expect(refusedOr401(await scrape(base, stranger))).toBe(true);
    expect(refusedOr401(await scrape(base, expired))).toBe(true);
  });

  it('VerifyClientCertIfGiven: none, or one the client CA issued', async () => {
    const base = await serveRequiring('VerifyClientCertIfGiven');
    expect(await scrape(base, undefined)).toBe(200);
    expect(await scrape(base, client)).toBe(200);
    expect(refusedOr401(await scrape(base, stranger))).toBe(true);
    // Given, a certificate is verified: the client CA's own, once expired, is refused as Go refuses it.
    expect(refusedOr401(await scrape(base, expired))).toBe(true);
  });

  it('RequireAnyClientCert: any certificate, verified or not, but one', async () => {
    const base = await serveRequiring('RequireAnyClientCert');
    expect(refusedOr401(await scrape(base, undefined))).toBe(true);
    expect(await scrape(base, client)).toBe(200);
    expect(await scrape(base, stranger)).toBe(200);
    // Go does not verify it at all: an expired certificate is still a certificate.
    expect(await scrape(base, expired)).toBe(200);
  });

  it('RequestClientCert: asked for, never required', async () => {
    const base = await serveRequiring('RequestClientCert');
    for (const identity of [undefined, client, stranger, expired]) expect(await scrape(base, identity)).toBe(200);
  });
});
