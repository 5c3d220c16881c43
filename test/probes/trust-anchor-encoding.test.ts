/**
 * A trusted root and a server's own copy of it, named alike but encoded differently (a UTF8String
 * CN and a PrintableString one), the copy expiring in three days. OpenSSL matches names by their
 * canonical form, so the handshake verifies against the trusted root: the report must judge the
 * chain on that root too, not raise a false `tls.expiring` for the copy the server sent.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttps, type TestServer } from '../helpers/servers.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
/** A name's value with its string type chosen (0x0c UTF8String, 0x13 PrintableString): the DER after `#`. */
const spelt = (tag: number, value: string) => `#${Buffer.from([tag, Buffer.byteLength(value), ...Buffer.from(value)]).toString('hex')}`;
const utf8Name: x509.JsonName = [{ CN: [spelt(0x0c, 'Encoding Test Root')] }];
const printableName: x509.JsonName = [{ CN: [spelt(0x13, 'Encoding Test Root')] }];

type Keys = webcrypto.CryptoKeyPair;

async function certificate(subject: x509.JsonName, issuer: x509.JsonName, keys: Keys, signer: Keys, days: number, extensions: x509.Extension[]) {
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(8)).reduce((s, b) => s + (b & 0x7f).toString(16).padStart(2, '0'), ''),
    subject,
    issuer,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + days * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    extensions,
  });
  return cert.toString('pem');
}

const caExtensions = () => [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)];

let server: TestServer;
let rootFile: string;
const own = closeAfterAll();
beforeAll(async () => {
  const generate = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<Keys>;
  const rootKeys = await generate();
  const leafKeys = await generate();
  // One key, two self-signed certificates: the trusted one (60 days) and the copy the server sends (3 days).
  const trusted = await certificate(utf8Name, utf8Name, rootKeys, rootKeys, 60, caExtensions());
  const sentCopy = await certificate(printableName, printableName, rootKeys, rootKeys, 3, caExtensions());
  const leaf = await certificate([{ CN: [spelt(0x0c, 'localhost')] }], printableName, leafKeys, rootKeys, 30, [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ]),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'outage-encoding-'));
  rootFile = join(dir, 'root.pem');
  writeFileSync(rootFile, trusted);
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY');
  server = own(await startHttps({ key, cert: `${leaf}\n${sentCopy}` }, ok));
});

describe('a root the server sends spelt differently from the trusted one', () => {
  it('is judged on the trusted root: up, and the chain ends at the 60-day root', async () => {
    const r = await runCli(['check', `https://localhost:${server.port}/`, '--json', '--no-canaries', '--retries', '0'], { env: { SSL_CERT_FILE: rootFile } });
    const service = JSON.parse(r.stdout).services[0];
    const tls = service.probes.find((p: { kind: string }) => p.kind === 'tls');
    expect(service.status).toBe('up');
    expect(r.code).toBe(0);
    const chain = tls.details.chain as { subject: string; daysLeft: number }[];
    expect(chain.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Encoding Test Root']);
    expect(chain.at(-1)?.daysLeft).toBeGreaterThan(58);
    // The copy the server sent is still reported as presented.
    expect(tls.details.presented.at(-1).daysLeft).toBeLessThan(4);
  });
});
