/**
 * The hostname check outage runs in place of Node's (which first copies the whole chain into JS
 * objects): for every host, the same verdict as Node's own `tls.checkServerIdentity` on the full
 * certificate — exact names, wildcards, IP addresses, CN-only certificates.
 */
import { connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, createSecureContext } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTls } from '../../src/net/connect.js';
import { identity, issue, testPki, type TestPki } from '../helpers/certs.js';
import { closeAfterAll } from '../helpers/own.js';
import { ok, startHttps } from '../helpers/servers.js';

let pki: TestPki;
const own = closeAfterAll();
beforeAll(async () => {
  pki = await testPki();
});

/** Node's verdict: its own check on getPeerCertificate(true), as a plain TLS client makes it. */
function nodeVerdict(port: number, host: string, ca: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: host, ca: [ca], rejectUnauthorized: false }, () => {
      resolve((checkServerIdentity(host, socket.getPeerCertificate(true)) as NodeJS.ErrnoException | undefined)?.code);
      socket.destroy();
    });
  });
}

async function outageVerdict(port: number, host: string, ca: string): Promise<string | undefined> {
  const socket = netConnect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const result = await startTls(socket, { host, servername: host, secureContext: createSecureContext({ ca: [ca] }) }, new AbortController().signal);
  if (!result.ok) throw new Error(result.failure.reason);
  const verdict = result.tlsSocket.authorizationError ? String(result.tlsSocket.authorizationError) : undefined;
  // Node's own method is back on the socket once the handshake is over.
  expect(Object.hasOwn(result.tlsSocket, 'getPeerCertificate')).toBe(false);
  result.tlsSocket.destroy();
  return verdict;
}

describe('the hostname check', () => {
  it.each([
    ['exact and wildcard names', { name: 'app.test', hosts: ['app.test', '*.svc.test'] }, ['app.test', 'APP.test', 'a.svc.test', 'a.b.svc.test', 'svc.test', 'other.test']],
    ['IP addresses', { name: 'ip', hosts: ['127.0.0.1', '::1'] }, ['127.0.0.1', '127.0.0.2']],
    ['a name only in the subject CN', { name: 'localhost' }, ['localhost', 'other.test']],
  ])('%s: the same verdict as Node for every host', async (_label, options, hosts) => {
    const cert = await issue({ ...options, issuer: pki.root });
    const server = own(await startHttps(identity(cert), ok, '127.0.0.1'));
    for (const host of hosts) {
      const expected = (await nodeVerdict(server.port, host, pki.root.certPem)) === undefined ? undefined : 'ERR_TLS_CERT_ALTNAME_INVALID';
      expect([host, await outageVerdict(server.port, host, pki.root.certPem)]).toEqual([host, expected]);
    }
  });
});
