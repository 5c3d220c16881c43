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
import { runInNamespace } from '../helpers/netns.js';
import { requires } from '../helpers/requires.js';

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

/**
 * With the canaries out on the internet, a connection counts where it went, not where its name
 * looks like it goes: a public-looking name that resolves to this machine or the LAN (split-horizon
 * DNS, a hosts-file entry, a Pi-hole answering with its own address) says nothing of the way out.
 * Run in a network namespace with only loopback: the documentation addresses have no route.
 */
const inNamespace = requires({ root: true, tools: [{ name: 'unshare', install: 'apt-get install util-linux' }, { name: 'ip', install: 'apt-get install iproute2' }] });

describe('a connection to a local address under a public name refutes nothing', () => {
  const hosts = '127.0.0.1 localhost\n::1 localhost\n127.0.0.1 status.vendor.com\n127.0.0.1 www.vendor.com\n';
  const canaries = [
    { name: 'canary a', url: 'http://203.0.113.1/' },
    { name: 'canary b', url: 'http://203.0.113.2/' },
  ];
  const run = async (services: object[]) => {
    const result = await runInNamespace({
      hosts,
      dns: false,
      config: JSON.stringify({ defaults: { timeout: '3s', retries: 0 }, canaries, services }),
      args: ['check', '-c', '{config}', '--json'],
    });
    return { report: JSON.parse(result.stdout) as Report, code: result.code };
  };

  inNamespace.it("a status page whose public name resolved to 127.0.0.1: still the local network's no route, exit 3", async () => {
    const { report, code } = await run([
      { name: 'chat', url: 'http://203.0.113.10/', status: 'http://status.vendor.com:{port}/api/v2/summary.json' },
      { name: 'api', url: 'http://203.0.113.11/' },
    ]);
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['no route'] });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['chat', 'unknown', 'network.local'],
      ['api', 'unknown', 'network.local'],
    ]);
    expect(code).toBe(3);
  });

  inNamespace.it("a service's own public name resolved to 127.0.0.1 and connected: still no route for the others, exit 3", async () => {
    const { report, code } = await run([
      { name: 'www', url: 'http://www.vendor.com:{port}/' },
      { name: 'api', url: 'http://203.0.113.11/' },
    ]);
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['no route'] });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['www', 'up', null],
      ['api', 'unknown', 'network.local'],
    ]);
    expect(code).toBe(3);
  });
});
