/**
 * The scenario a CI health gate meets: 50 services of six kinds at once. Every service must get
 * the right status and code, the exit code must reflect the worst, and the services must run in
 * parallel (shown by the slow server holding all its requests at the same time, not by a timer).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { closedPort, ok, respond, startHttp, startHttps, type Handler, type TestServer } from '../helpers/servers.js';

const SLOW_MS = 400;
let servers: TestServer[] = [];
let dns: TestDnsServer;
let inFlight = 0;
let maxInFlight = 0;
let configPath: string;
let caFile: string;
const expected: { name: string; status: string; code: string | null }[] = [];

const slowHandler: Handler = (req, res) => {
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  setTimeout(() => {
    inFlight--;
    ok(req, res);
  }, SLOW_MS);
};

beforeAll(async () => {
  const pki = await testPki();
  caFile = pki.rootFile;
  const [healthy, slow, unavailable, expired] = await Promise.all([
    startHttp(ok),
    startHttp(slowHandler),
    startHttp(respond(503, 'upstream unavailable')),
    startHttps(pki.expired, ok),
  ]);
  servers = [healthy, slow, unavailable, expired] as TestServer[];
  dns = await startDns(tableZone({}));
  const refused = await closedPort();

  const kinds: [string, () => Record<string, unknown>, string, string | null][] = [
    ['healthy', () => ({ url: `${healthy!.url}/health` }), 'up', null],
    ['slow', () => ({ url: `${slow!.url}/`, latency: { degraded: `${SLOW_MS / 2}ms` } }), 'degraded', 'http.slow'],
    ['unavailable', () => ({ url: `${unavailable!.url}/` }), 'down', 'http.status'],
    ['expired-cert', () => ({ url: `https://localhost:${expired!.port}/` }), 'down', 'tls.expired'],
    ['nxdomain', () => ({ url: `https://gone.test/`, resolvers: [dns.address] }), 'down', 'dns.nxdomain'],
    ['refused', () => ({ url: `http://127.0.0.1:${refused}/` }), 'down', 'tcp.refused'],
  ];
  const services = Array.from({ length: 50 }, (_, i) => {
    const [kind, target, status, code] = kinds[i % kinds.length]!;
    const name = `${kind}-${String(i).padStart(2, '0')}`;
    expected.push({ name, status, code });
    return { name, ...target() };
  });
  const dir = mkdtempSync(join(tmpdir(), 'outage-mixed-'));
  configPath = join(dir, 'outage.json');
  writeFileSync(configPath, JSON.stringify({ defaults: { timeout: '5s', retries: 0 }, services }));
});

afterAll(async () => {
  await Promise.all([...servers.map((s) => s.close()), dns.close()]);
});

describe('50 mixed loopback services', () => {
  it('classifies every service, keeps config order, and exits with the worst status', async () => {
    const r = await runCli(['check', '--config', configPath, '--json'], { env: { NODE_EXTRA_CA_CERTS: caFile } });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.services.map((s: { name: string; status: string; code: string | null }) => ({ name: s.name, status: s.status, code: s.code }))).toEqual(expected);
    expect(report.counts).toEqual({ up: 9, degraded: 9, down: 32, unknown: 0 });
    expect(report.status).toBe('down');
    expect(r.code).toBe(2);
  });

  it('probes them in parallel: all slow requests are in flight at once', async () => {
    maxInFlight = 0;
    await runCli(['check', '--config', configPath, '--json'], { env: { NODE_EXTRA_CA_CERTS: caFile } });
    const slowServices = expected.filter((e) => e.name.startsWith('slow')).length;
    expect(maxInFlight).toBe(slowServices);
  });
});
