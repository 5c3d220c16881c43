/**
 * NODE_OPTIONS set for the user's other Node programs — `--tls-max-v1.2` (a workaround for an
 * old TLS 1.3 bug), `--tls-min-v1.3` (a hardening guide), `--tls-cipher-list=…` (one legacy
 * backend) — changed what every Node program offers in its handshake, outage included: a healthy
 * server that speaks only the other versions or ciphers was judged down, the server blamed
 * ("server sent TLS alert"), where curl on the same machine connects. outage offers at least
 * Node's own default versions and ciphers, whatever the user's flags narrow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki, type TestPki } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { ok, startHttps, type TestServer } from '../helpers/servers.js';

let pki: TestPki;
let tls12Only: TestServer;
let tls13Only: TestServer;

beforeAll(async () => {
  pki = await testPki();
  // A TLS 1.2 server with forward-secret AEAD ciphers only, as a hardened nginx is configured.
  tls12Only = await startHttps({ ...pki.valid, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256' }, ok);
  tls13Only = await startHttps({ ...pki.valid, minVersion: 'TLSv1.3' }, ok);
});

afterAll(async () => {
  await Promise.all([tls12Only, tls13Only].map((server) => server?.close()));
});

/** One check of `url` trusting the test root, under the user's NODE_OPTIONS. */
async function check(url: string, nodeOptions: string) {
  const result = await runCli(['check', `${url}/`, '--json', '--no-canaries', '--retries', '0', '--timeout', '5s'], {
    env: { NODE_OPTIONS: nodeOptions, NODE_EXTRA_CA_CERTS: pki.rootFile },
  });
  const service = (JSON.parse(result.stdout) as { services: { status: string; code: string | null }[] }).services[0];
  return { code: result.code, status: `${service?.status} ${service?.code ?? ''}`.trim() };
}

describe("the user's NODE_OPTIONS never narrow the handshake outage offers", () => {
  const cases: [string, () => TestServer, string][] = [
    ['--tls-max-v1.2', () => tls13Only, 'a TLS 1.3-only server'],
    ['--tls-min-v1.3', () => tls12Only, 'a TLS 1.2-only server'],
    ['--tls-cipher-list=AES128-SHA', () => tls12Only, 'a TLS 1.2 server with ECDHE ciphers only'],
  ];
  for (const [flag, server, what] of cases) {
    it(`${flag}: ${what} is up, as curl finds it`, async () => {
      expect(await check(server().url, flag)).toEqual({ code: 0, status: 'up' });
    });
  }
});
