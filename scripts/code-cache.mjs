// Writes dist/cli.cjs.cache, the V8 code cache bin/outage.js compiles the CLI with: one real
// `outage check` of a loopback HTTP server and a loopback HTTPS server, so the cache also holds
// the functions a check runs (the probes, the TLS handshake and its certificate, the table and
// the JSON report), not only the top level. What the cache lacks is compiled at every start:
// with a cache from a `--json` run only, printing the table cost a check ~1 ms more. A second
// check, of the same servers from a config file, writes dist/vendor/zod.cjs.cache.
import { execFile } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/outage.js', import.meta.url));
const cacheFile = fileURLToPath(new URL('../dist/cli.cjs.cache', import.meta.url));
/** zod, bundled apart (scripts/bundle.mjs): its cache is written by a check of a config file. */
const zodCacheFile = fileURLToPath(new URL('../dist/vendor/zod.cjs.cache', import.meta.url));
rmSync(cacheFile, { force: true });
rmSync(zodCacheFile, { force: true });
const dir = mkdtempSync(join(tmpdir(), 'outage-code-cache-'));
const servers = [];
try {
  const urls = [`http://127.0.0.1:${await listen(createServer((_req, res) => res.end('ok')))}/`];
  const pki = await localhostPki();
  if (pki) {
    writeFileSync(join(dir, 'root.pem'), pki.root);
    urls.push(`https://localhost:${await listen(createTlsServer({ key: pki.key, cert: pki.cert }, (_req, res) => res.end('ok')))}/`);
  }
  const env = { ...process.env, ...(pki ? { NODE_EXTRA_CA_CERTS: join(dir, 'root.pem') } : {}) };
  // The table goes to stdout (the default), the JSON report to a file: the cache holds both renderers.
  await check(cacheFile, [...urls, '--report', `json=${devNull}`], { env });
  // The same services from a config file: only this run loads zod, and writes its cache alone.
  writeFileSync(join(dir, '.outagerc.yaml'), `services:\n${urls.map((url) => `  - name: ${url}\n    url: ${url}\n`).join('')}`);
  await check(zodCacheFile, [], { env, cwd: dir });
} finally {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One check that writes `cache` as it exits. Asynchronously: this process's event loop answers it.
 * Its verdict does not matter (a machine without IPv6 on localhost is degraded): the cache does.
 */
async function check(cache, args, options) {
  const env = { ...options.env, OUTAGE_WRITE_CODE_CACHE: cache };
  const output = await new Promise((resolve) => execFile(process.execPath, [bin, 'check', ...args], { ...options, env }, (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)));
  if (!existsSync(cache)) throw new Error(`code cache: the check wrote no ${cache}:\n${output}`);
}

function listen(server) {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/**
 * A root and a certificate for localhost it issued, made with the test suite's certificate
 * library (a devDependency, present wherever the build runs). Without it the cache is written
 * from the HTTP check alone.
 */
async function localhostPki() {
  let x509;
  try {
    await import('reflect-metadata');
    x509 = await import('@peculiar/x509');
  } catch {
    return undefined;
  }
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const day = 86_400_000;
  const keys = async () => webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const [rootKeys, leafKeys] = [await keys(), await keys()];
  const validity = { notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 30 * day), signingAlgorithm: alg };
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    ...validity,
    serialNumber: '01',
    name: 'CN=outage code cache root',
    keys: rootKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    ...validity,
    serialNumber: '02',
    subject: 'CN=localhost',
    issuer: root.subject,
    publicKey: leafKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }])],
  });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey), 'PRIVATE KEY');
  return { root: root.toString('pem'), cert: leaf.toString('pem'), key };
}
