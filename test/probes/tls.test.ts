import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identity, issue, testPki, type ServerIdentity, type TestPki } from '../helpers/certs.js';
import { checkOne, probe } from '../helpers/check.js';
import { ok, startHttp, startHttps, startTcp, type TestServer } from '../helpers/servers.js';
import { closeAfterAll } from '../helpers/own.js';

let pki: TestPki;
const own = closeAfterAll();

beforeAll(async () => {
  pki = await testPki();
});

async function serve(identity: ServerIdentity): Promise<TestServer> {
  const server = await startHttps(identity, ok);
  own(server);
  return server;
}

async function checkTls(pick: (p: TestPki) => ServerIdentity, host = 'localhost', tls: Record<string, unknown> = {}) {
  const server = await serve(pick(pki));
  return checkOne({ url: `https://${host}:${server.port}/`, tls: { ca: pki.rootFile, ...tls } });
}

describe('tls probe', () => {
  it('a valid chain is up, with days left on the earliest-expiring certificate', async () => {
    const result = await checkTls((p) => p.valid);
    expect(result.status).toBe('up');
    const tls = probe(result, 'tls');
    expect(tls.status).toBe('up');
    expect(tls.details.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(tls.details.alpn).toBe('http/1.1');
    // leaf 90 days, intermediate 1000, root 3650: the leaf limits the chain
    expect(tls.details.daysLeft as number).toBeGreaterThan(89.5);
    expect(tls.details.daysLeft as number).toBeLessThanOrEqual(90);
    expect((tls.details.chain as unknown[]).length).toBe(3);
    expect(probe(result, 'http').status).toBe('up');
  });

  it('an expired server certificate is tls.expired and HTTP is skipped', async () => {
    const result = await checkTls((p) => p.expired);
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/server certificate CN=expired\.test expired 2d ago/);
    expect(probe(result, 'http').status).toBe('skipped');
  });

  it('an expired intermediate is tls.expired and names the intermediate', async () => {
    const result = await checkTls((p) => p.expiredIntermediate);
    expect(result).toMatchObject({ status: 'down', code: 'tls.expired' });
    expect(result.reason).toMatch(/intermediate CN=Outage Expired Intermediate expired/);
  });

  it('a certificate that is not yet valid is tls.not_yet_valid', async () => {
    const result = await checkTls((p) => p.notYetValid);
    expect(result).toMatchObject({ status: 'down', code: 'tls.not_yet_valid' });
  });

  it('a certificate for another host is tls.hostname_mismatch', async () => {
    const result = await checkTls((p) => p.wrongHost);
    expect(result).toMatchObject({ status: 'down', code: 'tls.hostname_mismatch' });
    expect(result.reason).toContain('other.example');
  });

  it('a self-signed certificate is tls.untrusted', async () => {
    const result = await checkTls((p) => p.selfSigned);
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toMatch(/self-signed/);
  });

  it('a server that omits its intermediate is tls.untrusted (incomplete chain)', async () => {
    const result = await checkTls((p) => p.incompleteChain);
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('incomplete chain: the server did not send the certificate of its issuer CN=Outage Test Intermediate (or that issuer is a CA not trusted here)');
  });

  it('a leaf signed by an untrusted private CA is tls.untrusted, naming that issuer, not an incomplete chain', async () => {
    const result = await checkTls((p) => p.privateCa);
    expect(result).toMatchObject({ status: 'down', code: 'tls.untrusted' });
    expect(result.reason).toBe('issuer CN=Private Root is not a trusted CA and the server sent no certificate for it (a private CA, or a missing intermediate)');
  });

  it('a certificate expiring within the threshold is degraded tls.expiring', async () => {
    const result = await checkTls((p) => p.expiringSoon);
    expect(result).toMatchObject({ status: 'degraded', code: 'tls.expiring' });
    expect(result.reason).toMatch(/expires in 5 days/);
  });

  it('the down threshold makes an expiring certificate down', async () => {
    const result = await checkTls((p) => p.expiringSoon, 'localhost', { certificate: { down: '7d' } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.expiring' });
  });

  it('an IP-literal target is verified against the IP SAN, with no DNS probe', async () => {
    const result = await checkTls((p) => p.valid, '127.0.0.1');
    expect(result.status).toBe('up');
    expect(result.probes.map((p) => p.kind)).toEqual(['tcp', 'tls', 'http']);
  });

  it('a tls.ca holding only the issuing intermediate trusts it, as curl --cacert and Go (blackbox_exporter) do', async () => {
    // Enterprises often hand out their issuing CA, not the root: OpenSSL without PARTIAL_CHAIN
    // (Node's default) refuses a chain that stops at a trusted intermediate.
    const root = await issue({ name: 'Partial Root', ca: true });
    const intermediate = await issue({ name: 'Partial Intermediate', ca: true, issuer: root, validToDays: 400 });
    const leaf = await issue({ name: 'localhost', hosts: ['localhost', '127.0.0.1', '::1'], issuer: intermediate, validToDays: 200 });
    const server = await serve(identity(leaf, intermediate));
    const caFile = join(mkdtempSync(join(tmpdir(), 'outage-partial-')), 'issuing-ca.pem');
    writeFileSync(caFile, intermediate.certPem);
    const result = await checkOne({ url: `https://127.0.0.1:${server.port}/`, tls: { ca: caFile } });
    expect(result).toMatchObject({ status: 'up', code: null });
    const tls = probe(result, 'tls');
    expect((tls.details.chain as { subject: string }[]).map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Partial Intermediate']);
    expect(tls.details.daysLeft as number).toBeGreaterThan(199);
    // A pinned leaf is the whole chain: an intermediate the server sends above it, expiring in
    // five days, is not on the verified path (OpenSSL's partial chain and Go stop at the leaf).
    const soon = await issue({ name: 'Soon Intermediate', ca: true, issuer: root, validToDays: 5 });
    const pinned = await issue({ name: 'localhost', hosts: ['localhost', '127.0.0.1', '::1'], issuer: soon, validToDays: 200 });
    const pinnedServer = await serve(identity(pinned, soon));
    const pinFile = join(mkdtempSync(join(tmpdir(), 'outage-pinned-')), 'leaf.pem');
    writeFileSync(pinFile, pinned.certPem);
    const pinnedResult = await checkOne({ url: `https://127.0.0.1:${pinnedServer.port}/`, tls: { ca: pinFile } });
    expect(pinnedResult).toMatchObject({ status: 'up', code: null });
    expect((probe(pinnedResult, 'tls').details.chain as unknown[]).length).toBe(1);
    // Trusting the intermediate trusts nothing else: another private CA's leaf is still refused.
    const other = own(await startHttps(pki.privateCa, ok));
    const refused = await checkOne({ url: `https://127.0.0.1:${other.port}/`, tls: { ca: caFile } });
    expect(refused).toMatchObject({ status: 'down', code: 'tls.untrusted' });
  });

  it('a server that speaks only HTTP/2 (refusing http/1.1 in ALPN) is checked over HTTP/2, as curl, browsers and blackbox do', async () => {
    const { constants, createSecureServer } = await import('node:http2');
    const server = createSecureServer({ ...pki.valid, allowHTTP1: false }, (req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { location: '/health' });
        return res.end();
      }
      if (req.url === '/cut') {
        // Headers, part of the body, then RST_STREAM: HTTP/2's reset mid-body.
        res.stream.on('error', () => {});
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial', () => res.stream.close(constants.NGHTTP2_INTERNAL_ERROR));
        return;
      }
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
      res.end(`h2 ${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    own({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const port = (server.address() as { port: number }).port;
    const up = await checkOne({ url: `https://localhost:${port}/old`, tls: { ca: pki.rootFile }, http: { expect: { status: 200, body: 'h2 GET /health' } } });
    expect(up).toMatchObject({ status: 'up', code: null });
    expect(probe(up, 'tls').details.alpn).toBe('h2');
    expect(probe(up, 'http').details).toMatchObject({ status: 200, httpVersion: 20 });
    // Over HTTP/2 the verdicts are the same: a 404 is http.status, an expired certificate tls.expired.
    const missing = await checkOne({ url: `https://localhost:${port}/nope`, tls: { ca: pki.rootFile } });
    expect(missing).toMatchObject({ status: 'down', code: 'http.status' });
    const cut = await checkOne({ url: `https://localhost:${port}/cut`, tls: { ca: pki.rootFile } });
    expect(cut).toMatchObject({ status: 'down', code: 'http.reset' });
  });

  it('tls: false still checks HTTP over an untrusted certificate', async () => {
    const server = await serve(pki.selfSigned);
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: false });
    expect(result.status).toBe('up');
    expect(probe(result, 'tls').reason).toMatch(/not verified/);
  });
});

describe('tls handshake failures', () => {
  it('a port that accepts TCP and never answers the handshake is tls.handshake_timeout', async () => {
    const silent = own(await startTcp(() => {}));
    const result = await checkOne({ url: `https://127.0.0.1:${silent.port}/`, timeout: '300ms' });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_timeout' });
    expect(probe(result, 'tcp').status).toBe('up');
  });

  it('a reset in the middle of the handshake is tls.handshake_failed', async () => {
    const resetter = own(await startTcp((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const result = await checkOne({ url: `https://127.0.0.1:${resetter.port}/` });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_failed' });
    expect(result.reason).toMatch(/reset during the TLS handshake/);
  });

  it('a plain HTTP server on an https URL is tls.handshake_failed, saying so', async () => {
    const plain = own(await startHttp(ok));
    const result = await checkOne({ url: `https://127.0.0.1:${plain.port}/` });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_failed' });
    expect(result.reason).toMatch(/does not speak TLS/);
  });

  it('TLS 1.2-only and TLS 1.3-only servers are up, each on its version', async () => {
    for (const [limits, version] of [[{ maxVersion: 'TLSv1.2' }, 'TLSv1.2'], [{ minVersion: 'TLSv1.3' }, 'TLSv1.3']] as const) {
      const server = await serve({ ...pki.valid, ...limits });
      const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
      expect(result).toMatchObject({ status: 'up', code: null });
      expect(probe(result, 'tls').details.protocol).toBe(version);
    }
  });

  it('a server that speaks only TLS 1.1 is tls.handshake_failed, saying so rather than only naming the alert', async () => {
    // Browsers and Go (blackbox_exporter) refuse TLS 1.0 and 1.1 as Node does.
    const server = await serve({ ...pki.valid, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const result = await checkOne({ url: `https://localhost:${server.port}/`, tls: { ca: pki.rootFile } });
    expect(result).toMatchObject({ status: 'down', code: 'tls.handshake_failed' });
    expect(result.reason).toBe('the server accepts neither TLS 1.2 nor 1.3, most likely only TLS 1.1 or older, which browsers and Go refuse too (TLS alert "protocol version")');
  });
});
