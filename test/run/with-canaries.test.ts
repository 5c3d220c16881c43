/**
 * The canaries' verdict covers the path the canaries take. When every canary is out on the
 * internet and they all fail (no network, a dead uplink), a service on loopback or a private
 * network is not on that path: it is neither stopped by the verdict nor left unjudged. The
 * canaries here are public addresses whose probe is a stand-in that fails at once: nothing leaves
 * the machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../src/check.js';
import type { TcpObservation } from '../../src/probes/tcp/observation.js';
import { KINDS, type KindRegistry } from '../../src/probes/registry.js';
import { closedPort, delayed, startHttp, type TestServer } from '../helpers/servers.js';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Public addresses (documentation ranges, never dialled): the tcp probe fails them at once, as with no route. */
const CANARIES = [
  { name: 'public canary a', tcp: '192.0.2.1:443' },
  { name: 'public canary b', tcp: '198.51.100.1:443' },
];
const noRoute: KindRegistry = {
  ...KINDS,
  tcp: {
    ...KINDS.tcp,
    probe: async (service, context) => {
      if (service.endpoint && /^(192\.0\.2|198\.51\.100)\./.test(service.endpoint.host)) {
        const failure = { code: 'tcp.unreachable' as const, reason: 'network unreachable (stand-in)' };
        return { kind: 'tcp', port: service.endpoint.port, attempts: [], durationMs: 1, failure } satisfies TcpObservation;
      }
      // An internet service that connects: the way out works for it.
      if (service.endpoint && /^203\.0\.113\.1\d\d$/.test(service.endpoint.host)) {
        return { kind: 'tcp', address: `${service.endpoint.host}:${service.endpoint.port}`, port: service.endpoint.port, attempts: [], durationMs: 1 } satisfies TcpObservation;
      }
      // An internet service that never answers: it ends only when its budget or the verdict stops it.
      if (service.endpoint && /^203\.0\.113\./.test(service.endpoint.host)) {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        const failure = { code: 'tcp.timeout' as const, reason: 'no answer (stand-in)' };
        return { kind: 'tcp', port: service.endpoint.port, attempts: [], durationMs: 1, failure } satisfies TcpObservation;
      }
      return KINDS.tcp.probe(service, context);
    },
  },
};

describe('internet canaries failing, services on loopback', () => {
  it('a loopback service slower than the canaries is measured up, not stopped by the verdict', async () => {
    const slow = await startHttp(delayed(2500));
    servers.push(slow);
    const report = await check({ config: { defaults: { timeout: '10s', retries: 0, latency: { degraded: '5s' } }, canaries: CANARIES, services: [{ name: 'local app', url: slow.url }] }, kinds: noRoute });
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['no route'] });
    expect(report.services[0]).toMatchObject({ name: 'local app', status: 'up', code: null });
  });

  it('an internet service still hanging is stopped by the verdict, while the loopback one is measured', async () => {
    const slow = await startHttp(delayed(2000));
    servers.push(slow);
    const config = { defaults: { timeout: '20s', retries: 0, latency: { degraded: '5s' } }, canaries: CANARIES, services: [{ name: 'public api', tcp: '203.0.113.80:443' }, { name: 'local app', url: slow.url }] };
    const started = performance.now();
    const report = await check({ config, kinds: noRoute });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['public api', 'unknown', 'network.local'],
      ['local app', 'up', null],
    ]);
    expect(report.services[0]?.reason).toMatch(/stopped when the canaries failed/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a loopback service's own failure is judged as measured, not hidden as network.local", async () => {
    const refused = await closedPort();
    const report = await check({ config: { defaults: { timeout: '5s', retries: 0 }, canaries: CANARIES, services: [{ name: 'local db', tcp: `127.0.0.1:${refused}` }, { name: 'public api', tcp: '192.0.2.80:443' }] }, kinds: noRoute });
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['no route'] });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['local db', 'down', 'tcp.refused'],
      // A service out on the internet, failing like the canaries, is still not judged.
      ['public api', 'unknown', 'network.local'],
    ]);
  });
});

describe('canaries failing at TCP while a service on their path connects', () => {
  it('internet canaries with no route and an internet service that connects: the way out works, the others are judged as measured', async () => {
    const config = {
      defaults: { timeout: '20s', retries: 0 },
      canaries: CANARIES,
      services: [{ name: 'public api', tcp: '203.0.113.100:443' }, { name: 'public db', tcp: '192.0.2.80:5432' }],
    };
    const report = await check({ config, kinds: noRoute });
    expect(report.localNetwork).toMatchObject({ ok: true });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['public api', 'up', null],
      ['public db', 'down', 'tcp.unreachable'],
    ]);
  });

  it('loopback canaries that are refused are not "no route", and a loopback service that connects refutes them', async () => {
    const [c1, c2, db] = [await closedPort(), await closedPort(), await closedPort()];
    const app = await startHttp(delayed(0));
    servers.push(app);
    const config = {
      defaults: { timeout: '5s', retries: 0 },
      canaries: [{ name: 'c1', url: `http://127.0.0.1:${c1}/` }, { name: 'c2', tcp: `127.0.0.1:${c2}` }],
      services: [{ name: 'db', tcp: `127.0.0.1:${db}` }, { name: 'app', url: app.url }],
    };
    const report = await check({ config });
    expect(report.localNetwork).toMatchObject({ ok: true });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([
      ['db', 'down', 'tcp.refused'],
      ['app', 'up', null],
    ]);
    expect(report.exitCode).toBe(2);
  });

  it('a service that connects but answers after the verdict stopped it is measured again, not left interrupted', async () => {
    const [c1, c2] = [await closedPort(), await closedPort()];
    const slow = await startHttp(delayed(2500));
    servers.push(slow);
    const config = {
      defaults: { timeout: '10s', retries: 0, latency: { degraded: '5s' } },
      canaries: [{ name: 'c1', tcp: `127.0.0.1:${c1}` }, { name: 'c2', tcp: `127.0.0.1:${c2}` }],
      services: [{ name: 'slow app', url: slow.url }],
    };
    const report = await check({ config });
    expect(report.localNetwork).toMatchObject({ ok: true });
    expect(report.services[0]).toMatchObject({ name: 'slow app', status: 'up', code: null });
  });

  it('with no service connecting, every canary refused is still a verdict, named for what came back', async () => {
    const [c1, c2, db] = [await closedPort(), await closedPort(), await closedPort()];
    const config = {
      defaults: { timeout: '5s', retries: 0 },
      canaries: [{ name: 'c1', url: `http://127.0.0.1:${c1}/` }, { name: 'c2', tcp: `127.0.0.1:${c2}` }],
      services: [{ name: 'db', tcp: `127.0.0.1:${db}` }],
    };
    const report = await check({ config });
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['connections refused'] });
    expect(report.services[0]).toMatchObject({ status: 'unknown', code: 'network.local' });
    expect(report.services[0]?.reason).toMatch(/connections refused/);
  });
});

describe("a status page's connection counts where it goes", () => {
  const calm = JSON.stringify({ status: { indicator: 'none' }, components: [], incidents: [] });

  it('a status page on the internet that connects refutes the internet canaries: the vendor is judged as measured', async () => {
    const config = {
      defaults: { timeout: '20s', retries: 0 },
      canaries: CANARIES,
      services: [{ name: 'chat', url: 'https://192.0.2.80/', status: 'https://203.0.113.100/api/v2/summary.json' }],
    };
    const report = await check({ config, kinds: noRoute });
    expect(report.localNetwork).toMatchObject({ ok: true });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([['chat', 'down', 'tcp.unreachable']]);
  });

  it('a status page on loopback says nothing of the way out: the internet service stays not judged', async () => {
    const status = await startHttp((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(calm));
    servers.push(status);
    const config = {
      defaults: { timeout: '20s', retries: 0 },
      canaries: CANARIES,
      services: [{ name: 'chat', url: 'https://192.0.2.80/', status: `${status.url}/api/v2/summary.json` }],
    };
    const report = await check({ config, kinds: noRoute });
    expect(report.localNetwork).toMatchObject({ ok: false, layers: ['no route'] });
    expect(report.services.map((s) => [s.name, s.status, s.code])).toEqual([['chat', 'unknown', 'network.local']]);
  });
});
