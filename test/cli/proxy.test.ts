/**
 * Proxies end to end through the real binary: a proxy-only network gets the right local verdict
 * (canaries through tinyproxy: fine; through a dead proxy: the verdict names the proxy, and the
 * services are not judged), a broken proxy exits 3 and never 2, and proxy credentials never
 * appear in any output.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { FORMAT_NAMES } from '../../src/report/format-names.js';
import { testPki, type TestPki } from '../helpers/certs.js';
import { configFile, runCli } from '../helpers/cli.js';
import { answer, startFakeProxy, type FakeProxy } from '../helpers/fake-proxy.js';
import { closeAfterAll } from '../helpers/own.js';
import { closedPort, ok, startHttp, startHttps, type TestServer } from '../helpers/servers.js';
import { startTinyproxy, TINYPROXY } from '../helpers/tinyproxy.js';
import { requires } from '../helpers/requires.js';

const own = closeAfterAll();
let pki: TestPki;
let https: TestServer;
let http: TestServer;

beforeAll(async () => {
  pki = await testPki();
  [https, http] = await Promise.all([startHttps(pki.valid, ok).then(own), startHttp(ok).then(own)]);
});

/** Canaries at loopback targets, as on a network whose only way out is the proxy. */
function proxyOnlyConfig() {
  const tls = { ca: pki.rootFile };
  return configFile({
    defaults: { timeout: '5s', retries: 0 },
    canaries: [
      { name: 'canary https', url: `${https.url}/canary`, tls },
      { name: 'canary http', url: `${http.url}/canary` },
    ],
    services: [{ name: 'app', url: `${https.url}/app`, tls }],
  });
}

async function checkJson(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; report: Report }> {
  const r = await runCli(['check', '-c', file, '--json'], { env });
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

describe('a proxy-only network', () => {
  requires({ tools: [TINYPROXY] }).it('through a working proxy (tinyproxy): everything up, the canaries too', async () => {
    const proxy = own(await startTinyproxy());
    const { code, report } = await checkJson(proxyOnlyConfig(), { HTTPS_PROXY: proxy.url, http_proxy: proxy.url });
    expect(code).toBe(0);
    expect(report.services[0]).toMatchObject({ status: 'up' });
    expect(report.services[0]?.probes[0]?.kind).toBe('proxy');
    // Every service answered: the canaries had nothing to explain.
    expect(report.localNetwork?.ok ?? true).toBe(true);
    expect(proxy.log()).toContain(`GET http://127.0.0.1:${http.port}/canary`);
  });

  it('through a dead proxy: one verdict that names the proxy; the services are not judged (exit 3, not 2)', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { code, report } = await checkJson(proxyOnlyConfig(), { HTTPS_PROXY: dead, http_proxy: dead });
    expect(code).toBe(3);
    expect(report.localNetwork).toMatchObject({ ok: false, verdict: 'local network problem', layers: ['proxy not working'] });
    expect(report.localNetwork?.reason).toContain(`proxy ${dead} not working`);
    expect(report.localNetwork?.canaries.map((c) => c.code)).toEqual(['proxy.refused', 'proxy.refused']);
    expect(report.services[0]).toMatchObject({ status: 'unknown', code: 'network.local' });
    expect(report.services[0]?.reason).toMatch(/proxy not working \(measured: proxy\.refused\)/);
  });

  it('the table says so in words', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const r = await runCli(['check', '-c', proxyOnlyConfig()], { env: { HTTPS_PROXY: dead, http_proxy: dead }, });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`proxy ${dead} not working`);
  });
});

describe('proxy credentials', () => {
  const USER = 'proxy-user-7k2';
  const PASS = 'proxy-pa55-9q4';
  const KEY_PASS = 'key-pa55-3m8';
  const SECRETS = [PASS, KEY_PASS, USER, Buffer.from(`${USER}:${PASS}`).toString('base64'), Buffer.from(`${USER}:${KEY_PASS}`).toString('base64')];
  let rejecting: FakeProxy;
  let file: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // A proxy that echoes who asked, as some do in their denials: the reason carries what it said.
    const echo = `user ${USER} with password ${PASS} is not allowed`;
    rejecting = own(await startFakeProxy(answer(403, `Forbidden for ${USER}`, { 'proxy-status': `corp; error=http_request_denied; details="${echo}"` })));
    const refusedPort = await closedPort();
    env = { HTTPS_PROXY: `http://${USER}:${PASS}@127.0.0.1:${rejecting.port}` };
    file = configFile({
      defaults: { retries: 0, timeout: '3s' },
      services: [
        { name: 'through env', url: `${https.url}/x`, tls: { ca: pki.rootFile } },
        { name: 'through key', url: `${http.url}/y`, proxy: `http://${USER}:${KEY_PASS}@127.0.0.1:${refusedPort}` },
      ],
      canaries: [],
    });
  });

  function expectClean(text: string, where: string) {
    for (const secret of SECRETS) expect(text, `${where} leaks ${secret}`).not.toContain(secret);
  }

  it('reach the proxy (it saw them); what it echoes of them is redacted', async () => {
    const { code, report } = await checkJson(file, env);
    expect(code).toBe(3);
    expect(report.services.map((s) => s.code)).toEqual(['proxy.denied', 'proxy.refused']);
    expect(report.services[0]?.reason).toContain('user *** with password *** is not allowed');
    expect(rejecting.seen.at(-1)?.headers['proxy-authorization']).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
  });

  it.each(FORMAT_NAMES)('never appear in --format %s', async (format) => {
    const r = await runCli(['check', '-c', file, '--format', format, '-v'], { env });
    expectClean(r.stdout + r.stderr, format);
  });

  it('never appear in report files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outage-proxy-'));
    const reports = FORMAT_NAMES.flatMap((f) => ['--report', `${f}=${join(dir, `report.${f}`)}`]);
    await runCli(['check', '-c', file, ...reports], { env });
    for (const f of FORMAT_NAMES) expectClean(readFileSync(join(dir, `report.${f}`), 'utf8'), `report.${f}`);
  });

  it('never appear in config errors', async () => {
    const bad = configFile({ services: [{ name: 'a', url: 'https://app.example/', proxy: `socks5://${USER}:${KEY_PASS}@127.0.0.1:1080` }] });
    const r = await runCli(['check', '-c', bad], { env: { HTTPS_PROXY: `socks5://${USER}:${PASS}@127.0.0.1:1080` } });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('services[0].proxy: socks5 proxies are not supported');
    expectClean(r.stderr, 'config error');
  });
});
