/**
 * The loopback world every scenario runs against: HTTP, HTTPS (certificates made in code), raw
 * TCP and DNS servers on 127.0.0.1 port 0, and closed ports. Nothing here reaches any other
 * address: every name the scenarios use is answered by one of these DNS servers.
 */
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { assetSite } from '../../test/helpers/asset-site.js';
import { testPki, type ServerIdentity, type TestPki } from '../../test/helpers/certs.js';
import { startDns, tableZone, type TestDnsServer } from '../../test/helpers/dns-server.js';
import { delayed, ok, respond, startHttp, startHttps, startTcp, type Handler, type TestServer } from '../../test/helpers/servers.js';
import type { Loopback } from './loopback.js';
import { cdnZone, redirects, vendorStatus } from './server-handlers.js';

export interface World {
  pki: TestPki;
  /** The test root's PEM file, for `tls.ca`. */
  ca: string;
  http: Record<string, TestServer>;
  dns: Record<string, TestDnsServer>;
  closed: Record<string, number>;
  /** Request counter of the server that fails the first request of each run. */
  flaky: { requests: number };
}

export const url = (server: TestServer, path = '/') => `${server.url}${path}`;
/** The server's URL with a name in place of 127.0.0.1, for the DNS servers to resolve. */
export const at = (host: string, server: TestServer, path = '/') => `${new URL(server.url).protocol}//${host}:${server.port}${path}`;

export async function startWorld(loopback: Loopback): Promise<World> {
  const pki = await testPki();
  loopback.onClose(() => rmSync(dirname(pki.rootFile), { recursive: true, force: true }));
  const flaky = { requests: 0 };
  const http: Record<string, TestServer> = {};
  const h = async (label: string, server: Promise<TestServer>) => (http[label] = loopback.named(label, await server));
  const https = (label: string, identity: ServerIdentity, handler: Handler = ok) => h(label, startHttps(identity, handler));
  const quiet = (socket: Socket) => socket.on('error', () => {});

  await h('ok', startHttp(ok));
  await h('unavailable', startHttp(respond(503, 'upstream unavailable')));
  await h('slow', startHttp(delayed(300)));
  await h('hanging', startHttp(() => {}));
  await h('json', startHttp(respond(200, '{"status":"degraded","db":"down"}', { 'content-type': 'application/json' })));
  await h('flaky', startHttp((req, res) => (flaky.requests++ === 0 ? respond(503, 'warming up') : ok)(req, res)));
  await https('tls_valid', pki.valid);
  await https('tls_expiring', pki.expiringSoon);
  await https('tls_expired', pki.expired);
  await https('tls_wrong_host', pki.wrongHost);
  await https('tls_self_signed', pki.selfSigned);
  await https('tls_expired_intermediate', pki.expiredIntermediate);
  await https('tls_not_yet_valid', pki.notYetValid);
  await https('tls_incomplete_chain', pki.incompleteChain);
  await h('redirects', startHttp(redirects(() => http)));
  await h('tcp_open', startTcp((socket) => quiet(socket).end()));
  await h('tcp_silent', startTcp((socket) => void quiet(socket)));
  await h('vendor_status', startHttp(vendorStatus));
  // The asset-host page: a valid certificate; its images on a host whose certificate expired.
  await h('asset_images', startHttps(pki.expired, ok));
  await https('asset_site', pki.valid, assetSite(() => ({ site: http.asset_site!.port, images: http.asset_images!.port })));

  const dns: Record<string, TestDnsServer> = {};
  const d = async (label: string, server: Promise<TestDnsServer>) => (dns[label] = loopback.named(`dns_${label}`, await server));
  await d(
    'main',
    startDns(
      tableZone({
        'app.test': { A: ['127.0.0.1'] },
        'www.app.test': { CNAME: 'app.test' },
        'images.test': { A: ['127.0.0.1'] },
        localhost: { A: ['127.0.0.1'] },
        'db.test': { A: ['127.0.0.1'] },
        'mail.test': {
          MX: [
            [10, 'mx1.mail.test'],
            [20, 'mx2.backup.test'],
          ],
          TXT: ['v=spf1 -all'],
          CAA: [{ tag: 'issue', value: 'ca.test' }],
          SOA: { mname: 'ns1.mail.test', rname: 'hostmaster.mail.test', serial: 2026112301 },
        },
        'empty.test': {},
        'servfail.test': { rcode: 'SERVFAIL' },
        'refused.test': { rcode: 'REFUSED' },
        'silent.test': 'drop',
      }),
    ),
  );
  await d('elsewhere', startDns(tableZone({ 'app.test': { A: ['127.0.0.2'] }, 'mail.test': { MX: [[10, 'mx9.elsewhere.test']] } })));
  await d('servfail', startDns(() => ({ rcode: 'SERVFAIL' })));
  await d('nxdomain', startDns(() => ({ rcode: 'NXDOMAIN' })));
  await d('canary', startDns(tableZone({ 'canary.test': { A: ['127.0.0.1'] }, 'svc.test': { A: ['127.0.0.1'] } })));
  await d('cdn', startDns(cdnZone));

  const closed: Record<string, number> = {};
  for (const label of ['refused', 'db_refused', 'canary_refused']) closed[label] = await loopback.namedClosedPort(label);
  return { pki, ca: pki.rootFile, http, dns, closed, flaky };
}
