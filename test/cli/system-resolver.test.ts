/**
 * With no `resolvers`, names resolve as the system resolves them (getaddrinfo): the hosts file,
 * search domains, RFC 8305 timing. Each test runs the real CLI in a private network and mount
 * namespace whose /etc/hosts and /etc/resolv.conf are the test's and whose DNS server is the
 * test's, on the namespace's own 127.0.0.1:53 (see helpers/netns.ts). Needs root.
 */
import { describe, expect } from 'vitest';
import type { Report } from '../../src/probes/result.js';
import { runInNamespace, type NetnsAnswer, type NetnsResult } from '../helpers/netns.js';
import { requires } from '../helpers/requires.js';
import { configFile } from '../helpers/cli.js';

/** Each test builds a private network and mount namespace: root, unshare and ip. */
const inNamespace = requires({ root: true, tools: [{ name: 'unshare', install: 'apt-get install util-linux' }, { name: 'ip', install: 'apt-get install iproute2' }] });

const CHECK = ['check', '--json', '--no-canaries', '--retries', '0', '--timeout', '4s'];

function service(result: NetnsResult) {
  const report = JSON.parse(result.stdout) as Report;
  const first = report.services[0];
  if (!first) throw new Error(`no service in ${result.stdout}\n${result.stderr}`);
  return first;
}

function probeDetails(result: NetnsResult, kind: string): Record<string, unknown> {
  return (service(result).probes.find((p) => p.kind === kind)?.details ?? {}) as Record<string, unknown>;
}

const record = (name: string, type: string, data: unknown) => ({ name, type, data });
const answer = (...answers: ReturnType<typeof record>[]): NetnsAnswer => ({ rcode: 'NOERROR', answers });

describe('the system resolver, as getaddrinfo answers', () => {
  inNamespace.it('a name only in /etc/hosts, IPv4 only, is up — no AAAA asked of DNS, nothing degraded', async () => {
    const result = await runInNamespace({
      hosts: '127.0.0.1 localhost\n127.0.0.1 intranet.test\n',
      args: [...CHECK, 'http://intranet.test:{port}/'],
    });
    expect(service(result)).toMatchObject({ status: 'up', code: null });
    expect(result.code).toBe(0);
    expect(probeDetails(result, 'dns')).toMatchObject({ source: 'hosts', records: [{ type: 'A', value: '127.0.0.1' }] });
    expect(result.queries.filter((q) => q.name === 'intranet.test')).toEqual([]);
  });

  inNamespace.it('a short name resolves through the search domain, the same way', async () => {
    const result = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\nsearch corp.test\n',
      zone: { 'app.corp.test': { A: answer(record('app.corp.test', 'A', '127.0.0.1')) } },
      args: [...CHECK, 'http://app:{port}/'],
    });
    expect(service(result)).toMatchObject({ status: 'up', code: null });
    expect(probeDetails(result, 'tcp')).toMatchObject({ address: `127.0.0.1:${result.port}` });
  });

  inNamespace.it('a resolver that drops AAAA: connected at once (not tcp.timeout), the silent AAAA degraded within the budget', async () => {
    // glibc's per-try timeout cut to 1 s keeps the test short; getaddrinfo for both still takes 3 s.
    const result = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:1\n',
      zone: { 'slow6.test': { A: answer(record('slow6.test', 'A', '127.0.0.1')), AAAA: 'drop' } },
      args: [...CHECK, 'http://slow6.test:{port}/'],
    });
    expect(service(result)).toMatchObject({ status: 'degraded', code: 'dns.timeout' });
    expect(service(result).reason).toContain('AAAA');
    // The connection did not wait for AAAA (getaddrinfo for both takes 3 s here); the attempt
    // waited for its verdict, never past the 4 s budget.
    const tcp = service(result).probes.find((p) => p.kind === 'tcp');
    expect(tcp).toMatchObject({ status: 'up' });
    expect(tcp?.durationMs).toBeLessThan(1000);
    expect(service(result).probes.find((p) => p.kind === 'http')?.status).toBe('up');
    expect(service(result).durationMs).toBeLessThan(4000 + 200);
    // (The process itself exits only when glibc gives up on the AAAA query: Node joins its
    // thread pool at exit and cannot cancel getaddrinfo. See the README's known limitations.)
  });

  inNamespace.it('a resolver that drops AAAA for every name, with canaries asking it: the local verdict names it, services up, exit 0', async () => {
    const names = ['slow6.test', 'canary1.test', 'canary2.test'];
    const config = configFile({
      canaries: [
        { name: 'system resolver: canary1.test', dns: { name: 'canary1.test' } },
        { name: 'system resolver: canary2.test', dns: { name: 'canary2.test' } },
      ],
    });
    const result = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:1\n',
      zone: Object.fromEntries(names.map((name) => [name, { A: answer(record(name, 'A', '127.0.0.1')), AAAA: 'drop' as const }])),
      args: ['check', '--json', '-c', config, '--retries', '0', '--timeout', '4s', 'http://slow6.test:{port}/'],
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.localNetwork).toMatchObject({ ok: false, scope: 'dns', layers: ['resolver not answering AAAA'] });
    expect(report.localNetwork?.reason).toMatch(/resolver not answering AAAA — the system resolver \(system resolver: canary1\.test AAAA dns\.timeout, system resolver: canary2\.test AAAA dns\.timeout\), while A answers/);
    // Reached over IPv4 and fetched: the local resolver's silence on AAAA is not the service's.
    expect(service(result)).toMatchObject({ status: 'up', code: null });
    expect(service(result).reason).toContain('AAAA not answered by the system resolver, a local resolver problem (not judged)');
    expect(result.code).toBe(0);
    // The same run without canaries cannot tell the local resolver from the name's: degraded.
    const alone = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:1\n',
      zone: Object.fromEntries(names.map((name) => [name, { A: answer(record(name, 'A', '127.0.0.1')), AAAA: 'drop' as const }])),
      args: ['check', '--json', '-c', configFile({ canaries: [] }), '--retries', '0', '--timeout', '4s', 'http://slow6.test:{port}/'],
    });
    expect(service(alone)).toMatchObject({ status: 'degraded', code: 'dns.timeout' });
    expect((JSON.parse(alone.stdout) as Report).localNetwork).toBeUndefined();
    expect(alone.code).toBe(1);
  });

  inNamespace.it('many names behind a resolver that drops AAAA: all reached over IPv4 — stuck lookups never take every thread', async () => {
    const names = Array.from({ length: 16 }, (_, i) => `svc${i}.test`);
    const result = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:1\n',
      zone: Object.fromEntries(names.map((name) => [name, { A: answer(record(name, 'A', '127.0.0.1')), AAAA: 'drop' }])),
      args: [...CHECK, '--timeout', '2s', ...names.map((name) => `http://${name}:{port}/`)],
    });
    const report = JSON.parse(result.stdout) as Report;
    // Never down: every page was fetched over IPv4. The AAAA silence degrades a name when its
    // lookup was asked and went unanswered; one outage could not ask in time is not judged.
    expect(report.services.map((s) => s.probes.find((p) => p.kind === 'http')?.status)).toEqual(names.map(() => 'up'));
    for (const s of report.services) expect([s.status, s.code]).toEqual(s.status === 'up' ? ['up', null] : ['degraded', 'dns.timeout']);
  });

  inNamespace.it('a dead resolver with many services: dns.timeout within the budget, and the process exits soon after', async () => {
    const names = Array.from({ length: 16 }, (_, i) => `svc${i}.test`);
    const result = await runInNamespace({
      resolvConf: 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
      zone: Object.fromEntries(names.map((name) => [name, { '*': 'drop' as const }])),
      args: [...CHECK, '--timeout', '1s', ...names.map((name) => `http://${name}:{port}/`)],
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.services.map((s) => s.code)).toEqual(names.map(() => 'dns.timeout'));
    expect(report.services[0]?.reason).toContain('within 1s');
    // A running getaddrinfo cannot be interrupted and Node waits for it at exit: the exit may
    // lag by one glibc timeout (1 s per try here), never by one per service.
    expect(result.durationMs).toBeLessThan(7000);
  });

  inNamespace.it('a CNAME to a name that does not exist: dns.nodata naming the chain', async () => {
    const chain = record('www.gone.test', 'CNAME', 'edge.gone.test');
    const result = await runInNamespace({
      zone: { 'www.gone.test': { A: { rcode: 'NXDOMAIN', answers: [chain] }, AAAA: { rcode: 'NXDOMAIN', answers: [chain] }, CNAME: answer(chain) } },
      args: [...CHECK, 'http://www.gone.test:{port}/'],
    });
    expect(service(result)).toMatchObject({ status: 'down', code: 'dns.nodata' });
    expect(service(result).reason).toContain('www.gone.test → edge.gone.test: edge.gone.test does not exist (NXDOMAIN)');
  });

  inNamespace.it('a CNAME loop: dns.servfail naming the loop', async () => {
    const loop = answer(record('loop-a.test', 'CNAME', 'loop-b.test'), record('loop-b.test', 'CNAME', 'loop-a.test'));
    const result = await runInNamespace({ zone: { 'loop-a.test': { '*': loop } }, args: [...CHECK, 'http://loop-a.test:{port}/'] });
    expect(service(result)).toMatchObject({ status: 'down', code: 'dns.servfail' });
    expect(service(result).reason).toContain('CNAME loop: loop-a.test → loop-b.test → loop-a.test');
  });

  inNamespace.it('an answer for another name is ignored', async () => {
    const result = await runInNamespace({
      zone: { 'stranger.test': { A: answer(record('evil.test', 'A', '127.0.0.1')) } },
      args: [...CHECK, 'http://stranger.test:{port}/'],
    });
    expect(service(result)).toMatchObject({ status: 'down', code: 'dns.nodata' });
    expect(result.httpConnections).toBe(0);
  });

  inNamespace.it('0.0.0.0 from a DNS filter or the hosts file: dns.blocked, and no connection (0.0.0.0 would reach this machine)', async () => {
    const result = await runInNamespace({
      hosts: '127.0.0.1 localhost\n0.0.0.0 tracker.test\n',
      zone: { 'ads.test': { A: answer(record('ads.test', 'A', '0.0.0.0')), AAAA: answer(record('ads.test', 'AAAA', '::')) } },
      args: [...CHECK, 'http://ads.test:{port}/', 'http://tracker.test:{port}/'],
    });
    const report = JSON.parse(result.stdout) as Report;
    expect(report.services.map((s) => [s.status, s.code, s.reason])).toEqual([
      ['down', 'dns.blocked', 'ads.test resolves to 0.0.0.0 and ::: blocked by a DNS filter (Pi-hole, corporate DNS)'],
      ['down', 'dns.blocked', 'tracker.test resolves to 0.0.0.0: blocked by the hosts file'],
    ]);
    expect(result.httpConnections).toBe(0);
  });

  inNamespace.it('configured resolvers with no route to them: dns.timeout saying so, at once, and no crash', async () => {
    // The namespace has no route but loopback: both documentation addresses are unreachable.
    const result = await runInNamespace({ args: [...CHECK, '--resolver', '192.0.2.53', '--resolver', '[fd00::53]:53', 'http://app.test:{port}/'] });
    expect(result.stderr).toBe('');
    expect(service(result)).toMatchObject({ status: 'down', code: 'dns.timeout' });
    expect(service(result).reason).toBe('app.test: resolver 192.0.2.53, [fd00::53]:53 unreachable (no route)');
    expect(service(result).durationMs).toBeLessThan(1000);
  });

  inNamespace.it('a refused resolver (nothing on port 53) fails within a second with dns.refused', async () => {
    const result = await runInNamespace({ dns: false, args: [...CHECK, '--retries', '2', 'http://nowhere.test:{port}/'] });
    expect(service(result)).toMatchObject({ status: 'down', code: 'dns.refused' });
    expect(service(result).reason).toContain('refused the connection');
    // Three attempts, each asking getaddrinfo and then the resolver itself.
    expect(service(result).durationMs).toBeLessThan(1000);
    expect(result.durationMs).toBeLessThan(5000);
  });
});
