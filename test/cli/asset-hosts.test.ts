/**
 * Asset hosts, the Amazon 2020 pattern: the page answers 200 while the host serving its images has
 * an expired certificate. Names resolve through a loopback DNS server; every host is on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetSite } from '../helpers/asset-site.js';
import { testPki } from '../helpers/certs.js';
import { configFile, runCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { ok, startHttps, type TestServer } from '../helpers/servers.js';
import type { Report } from '../../src/probes/result.js';

let dns: TestDnsServer;
let site: TestServer;
let images: TestServer;
let heads = 0;
let headsInOneRun = 0;
let report: Report;
let table: string;
let code: number | null;

beforeAll(async () => {
  const pki = await testPki();
  images = await startHttps(pki.expired, ok);
  const imagesPort = new URL(images.url).port;
  let sitePort = '';
  const page = assetSite(() => ({ site: sitePort, images: imagesPort }));
  site = await startHttps(pki.valid, (req, res) => {
    if (req.method === 'HEAD' && req.url === '/app.js') heads++;
    page(req, res);
  });
  sitePort = new URL(site.url).port;
  dns = await startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] }, 'images.test': { A: ['127.0.0.1'] }, localhost: { A: ['127.0.0.1'] } }));
  const file = configFile({
    defaults: { timeout: '3s', retries: 0, resolvers: [dns.address] },
    services: [
      { name: 'shop', url: `https://app.test:${sitePort}/`, tls: { ca: pki.rootFile }, http: { assets: true } },
      { name: 'store', url: `https://app.test:${sitePort}/store`, tls: { ca: pki.rootFile }, http: { assets: true } },
      {
        name: 'api hosts',
        url: `https://app.test:${sitePort}/gone`,
        http: { expect: { status: 404 } },
        tls: { ca: pki.rootFile },
        hosts: [`https://localhost:${sitePort}/gone`, `https://localhost:${sitePort}/broken`],
      },
      { name: 'shop, first asset host only', url: `https://app.test:${sitePort}/`, tls: { ca: pki.rootFile }, http: { assets: { max: 1 } } },
    ],
  });
  const json = await runCli(['check', '-c', file, '--json']);
  code = json.code;
  headsInOneRun = heads;
  report = JSON.parse(json.stdout) as Report;
  table = (await runCli(['check', '-c', file], { env: { COLUMNS: '300' } })).stdout;
});

afterAll(async () => {
  await Promise.all([dns.close(), site.close(), images.close()]);
});

describe('asset hosts (http.assets)', () => {
  it('a page whose image host has an expired certificate is degraded, naming the host and tls.expired', () => {
    const store = report.services[1];
    expect(store).toMatchObject({ status: 'degraded', code: 'tls.expired', reason: 'page up; 1 of 2 asset hosts failing: images.test tls.expired' });
    expect(table).toContain('page up; 1 of 2 asset hosts failing: images.test tls.expired');
    expect(code).toBe(1);
  });

  it('several failing hosts are all named; the code is the first in page order', () => {
    expect(report.services[0]).toMatchObject({
      status: 'degraded',
      code: 'dns.nxdomain',
      reason: 'page up; 2 of 3 asset hosts failing: missing.test dns.nxdomain, images.test tls.expired',
    });
  });

  it('checks each distinct host once, with DNS, TCP, TLS and a HEAD, and ignores links and comments', () => {
    const hosts = report.services[0]?.probes.find((p) => p.kind === 'hosts')?.details.hosts as { host: string; status: string; code: string | null; source: string }[];
    expect(hosts.map((h) => [h.host, h.status, h.code, h.source])).toEqual([
      ['missing.test', 'down', 'dns.nxdomain', 'page'],
      ['localhost', 'up', null, 'page'],
      ['images.test', 'down', 'tls.expired', 'page'],
    ]);
    // The healthy asset host was asked once, with a HEAD for the asset the page named.
    expect(headsInOneRun).toBe(1);
  });

  it('configured hosts: any answer below 500 is the host answering; a 502 is failing', () => {
    expect(report.services[2]).toMatchObject({ status: 'degraded', code: 'http.status', reason: '1 of 2 hosts failing: localhost http.status' });
  });

  it('max limits how many asset hosts are checked', () => {
    const limited = report.services[3];
    expect(limited?.reason).toBe('page up; 1 of 1 asset hosts failing: missing.test dns.nxdomain');
  });
});

describe('what the failing pages share', () => {
  it('grouped by the asset hosts that fail them, never by the pages\' own network or certificate (which work)', () => {
    expect(report.commonCauses.map((c) => [c.kind, c.value, c.services])).toEqual([
      ['host', 'missing.test', ['shop', 'shop, first asset host only']],
      ['host', 'images.test', ['shop', 'store']],
      ['code', 'dns.nxdomain', ['shop', 'shop, first asset host only']],
    ]);
    expect(table).toContain('likely common cause: 2 of 4 failing services depend on missing.test');
    expect(table).toContain('likely common cause: 2 of 4 failing services depend on images.test');
    expect(table).not.toMatch(/are on 127\.0\.0\.0\/24|certificates issued by/);
  });
});
