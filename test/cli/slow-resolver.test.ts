/**
 * A resolver slower than one try (a quarter of the budget, at most 2 s) but well within the
 * budget: its answer to an earlier try still counts when it comes, as glibc, dig and
 * blackbox_exporter take it. Each try used to drop the one before, so a resolver answering every
 * query in 2.5 s was `down dns.timeout` ("no answer within 8s (4 tries)") under a 10 s budget.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, configFile, runCli } from '../helpers/cli.js';
import { startDns, type TestDnsServer } from '../helpers/dns-server.js';
import { ok, startHttp, type TestServer } from '../helpers/servers.js';

let web: TestServer;
let slow: TestDnsServer;
let silent: TestDnsServer;
let quick: TestDnsServer;
const DELAY_MS = 2500;
beforeAll(async () => {
  web = await startHttp(ok);
  slow = await startDns((name, type) =>
    name === 'app.test' && type === 'A' ? { rcode: 'NOERROR', answers: [{ type: 'A', name, ttl: 60, data: '127.0.0.1' }], delayMs: DELAY_MS } : { rcode: 'NOERROR', delayMs: DELAY_MS },
  );
  silent = await startDns(() => 'drop');
  quick = await startDns((name, type) => (name === 'app.test' && type === 'A' ? { rcode: 'NOERROR', answers: [{ type: 'A', name, ttl: 60, data: '127.0.0.1' }] } : { rcode: 'NOERROR' }));
});
afterAll(async () => {
  await Promise.all([web.close(), slow.close(), silent.close(), quick.close()]);
});

const check = async (resolvers: string[], timeout: string) => {
  const service = { name: 'app', url: `http://app.test:${web.port}/`, resolvers, timeout, retries: 0, latency: { degraded: '20s' } };
  const result = await runCli(['check', '--json', '--no-canaries', '-c', configFile({ services: [service] })]);
  return { result, service: JSON.parse(result.stdout).services[0] as { status: string; code: string | null; reason: string; durationMs: number } };
};

describe('a resolver that answers after more than one try', () => {
  it('answering every query in 2.5 s under a 10 s budget: up, as soon as the first answer comes', async () => {
    const { result, service } = await check([slow.address], '10s');
    expect([service.status, service.code]).toEqual(['up', null]);
    expect(result.code).toBe(0);
    expect(service.durationMs).toBeGreaterThanOrEqual(DELAY_MS - 50);
    expect(service.durationMs).toBeLessThan(DELAY_MS + 1500);
  });

  it('behind a silent first resolver, the slow second one still answers within the budget', async () => {
    const { service } = await check([silent.address, slow.address], '10s');
    expect([service.status, service.code]).toEqual(['up', null]);
  });

  it('slower than the whole budget: dns.timeout, at the budget', async () => {
    const { result, service } = await check([slow.address], '2s');
    expect([service.status, service.code]).toEqual(['down', 'dns.timeout']);
    expect(service.reason).toBe(`app.test: no address from resolver ${slow.address} within 2s`);
    expect(result.durationMs).toBeLessThan(4000);
  });
});

describe('a late error from a try already given up on never beats a newer try', () => {
  // glibc and c-ares stop listening to a server once they move on: they would have heard only the
  // next one. Its late answer with records is taken (above); its late SERVFAIL, REFUSED or NXDOMAIN
  // waits for the tries still out, and counts only if none of them answers.
  const answer = (name: string, type: string, delayMs: number) =>
    name === 'app.test' && type === 'A' ? { rcode: 'NOERROR' as const, answers: [{ type: 'A' as const, name, ttl: 60, data: '127.0.0.1' }], delayMs } : { rcode: 'NOERROR' as const, delayMs };
  const servers: TestDnsServer[] = [];
  const dns = async (handler: Parameters<typeof startDns>[0]) => {
    const server = await startDns(handler);
    servers.push(server);
    return server.address;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each([
    ['SERVFAIL after 2.5 s; the next resolver answers 0.8 s after it is asked', 'SERVFAIL', 2500, 800],
    ['NXDOMAIN after 2.3 s; the next resolver answers 0.5 s after it is asked', 'NXDOMAIN', 2300, 500],
    ['REFUSED after 2.1 s; the next resolver answers 0.3 s after it is asked', 'REFUSED', 2100, 300],
  ] as const)('first resolver: %s — up', async (_name, rcode, lateMs, nextMs) => {
    const late = await dns(() => ({ rcode, delayMs: lateMs }));
    const next = await dns((name, type) => answer(name, type, nextMs));
    const { result, service } = await check([late, next], '10s');
    expect([service.status, service.code]).toEqual(['up', null]);
    expect(result.code).toBe(0);
  });

  it('one resolver whose first answer is a late SERVFAIL and whose retry answers: up', async () => {
    let asked = 0;
    const flaky = await dns((name, type) => (name === 'app.test' && type === 'A' && asked++ === 0 ? { rcode: 'SERVFAIL', delayMs: 2600 } : answer(name, type, 800)));
    const { service } = await check([flaky], '10s');
    expect([service.status, service.code]).toEqual(['up', null]);
  });

  it('one resolver answering SERVFAIL late every time: still dns.servfail within the budget', async () => {
    const failing = await dns(() => ({ rcode: 'SERVFAIL', delayMs: 2500 }));
    const { service } = await check([failing], '10s');
    expect([service.status, service.code]).toEqual(['down', 'dns.servfail']);
  });
});

describe('tries still heard under a low open-file limit', () => {
  it('a silent first resolver\'s tries never take the sockets the answering one needs: all up, not local.resources', async () => {
    const targets = Array.from({ length: 6 }, (_, i) => `http://app.test:${web.port}/${i}`);
    const args = ['check', '--json', '--no-canaries', '--timeout', '2s', '--retries', '0', '--resolver', silent.address, '--resolver', quick.address, ...targets];
    // As bash's `ulimit -n` sets it: Node starts at 19 or 22, and 24 leaves outage one socket.
    // Descriptors the test runner leaves open are closed first: a shell at a terminal has none.
    const closeInherited = 'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done';
    // Not spawnSync: the DNS servers answer from this process.
    const child = spawn('bash', ['-c', `${closeInherited}; ulimit -n 24 && exec "$@"`, 'outage', process.execPath, BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const services = JSON.parse(stdout).services as { status: string; code: string | null }[];
    expect(services.map((s) => [s.status, s.code])).toEqual(targets.map(() => ['up', null]));
    expect(code).toBe(0);
  });
});
