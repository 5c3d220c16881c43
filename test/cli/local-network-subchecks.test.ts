/**
 * One vendor down while this machine's way out works: the canaries are refused (down or blocked
 * themselves), the vendor's page is refused too — but its status page, fetched beside it, answered
 * through the same way out. That connection refutes a verdict about the way out as a service's own
 * connection does: the vendor is judged as measured, the local network not blamed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFile, runCli } from '../helpers/cli.js';
import { closedPort, startHttp, type TestServer } from '../helpers/servers.js';
import type { Report } from '../../src/probes/result.js';

const CALM = JSON.stringify({ status: { indicator: 'none', description: 'All Systems Operational' }, components: [], incidents: [] });

let vendor: TestServer;
let canaries: { name: string; url: string }[];
let refused: string;

beforeAll(async () => {
  vendor = await startHttp((req, res) => {
    if (req.url === '/api/v2/summary.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(CALM);
    if (req.url === '/limited/api/v2/summary.json') return void res.writeHead(429, { 'retry-after': '60', 'content-type': 'text/html' }).end('<html>Too Many Requests</html>');
    res.writeHead(200).end('ok');
  });
  canaries = [
    { name: 'canary a', url: `http://127.0.0.1:${await closedPort()}/` },
    { name: 'canary b', url: `http://127.0.0.1:${await closedPort()}/` },
  ];
  refused = `http://127.0.0.1:${await closedPort()}/`;
});

afterAll(async () => {
  await vendor.close();
});

async function check(service: object): Promise<{ report: Report; code: number | null }> {
  const file = configFile({ defaults: { timeout: '3s', retries: 0 }, canaries, services: [service] });
  const run = await runCli(['check', '-c', file, '--json']);
  return { report: JSON.parse(run.stdout) as Report, code: run.code };
}

describe('a connection made by the status page refutes "connections refused"', () => {
  it('the status page answered: the vendor is down as measured, no local network problem', async () => {
    const { report, code } = await check({ name: 'chat', url: refused, status: `${vendor.url}/api/v2/summary.json` });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([['chat', 'down', 'tcp.refused']]);
    expect(report.services[0]?.reason).toMatch(/^measured: down — .* · vendor: operational$/);
    expect(report.localNetwork?.ok).toBe(true);
    expect(code).toBe(2);
  });

  it('a status page that answered with anything (429, rate limited) connected all the same', async () => {
    const { report, code } = await check({ name: 'chat', url: refused, status: `${vendor.url}/limited/api/v2/summary.json` });
    expect(report.services.map((s) => [s.name, s.status, s.code, s.vendor?.code])).toEqual([['chat', 'down', 'tcp.refused', 'status.unavailable']]);
    expect(report.localNetwork?.ok).toBe(true);
    expect(code).toBe(2);
  });

  it('nothing connected at all: still the local network problem', async () => {
    const { report, code } = await check({ name: 'chat', url: refused, status: `${refused}api/v2/summary.json` });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([['chat', 'unknown', 'network.local']]);
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['connections refused'] });
    expect(code).toBe(3);
  });
});
