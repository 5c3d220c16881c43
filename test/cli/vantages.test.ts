/**
 * Issue 15, must show 3: `check --from` names the vantage that differs. Two local `outage serve`
 * instances: one resolves app.test through the test DNS server, the other has a dead resolver (a
 * closed loopback port), so it cannot reach the target by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
import { closedPort, ok, respond, startHttp, type TestServer } from '../helpers/servers.js';

let web: TestServer;
let dns: TestDnsServer;
let sees: RunningServe;
let blind: RunningServe;
let deadResolver: string;
let target: string;

beforeAll(async () => {
  web = await startHttp(ok);
  dns = await startDns(tableZone({ 'app.test': { A: ['127.0.0.1'] } }));
  deadResolver = `127.0.0.1:${await closedPort()}`;
  target = `http://app.test:${web.port}/`;
  sees = await startServe(['-c', writeConfig({ defaults: { resolvers: [dns.address], retries: 0 } })]);
  blind = await startServe(['-c', writeConfig({ defaults: { resolvers: [deadResolver], retries: 0 } })]);
});

afterAll(async () => {
  await Promise.all([sees?.stop(), blind?.stop()]);
  await Promise.all([web?.close(), dns?.close()]);
});

const hostOf = (url: string) => new URL(url).host;

describe('check --from', () => {
  it('names the one vantage that cannot reach the target: that place, not the service', async () => {
    const result = await runCli(['check', target, '--resolver', dns.address, '--no-canaries', '--from', sees.url, '--from', blind.url, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0); // up here: the exit code is this machine's view
    const service = JSON.parse(result.stdout).services[0];
    expect(service.vantages.map((v: { from: string; status: string; code: string | null }) => [v.from, v.status, v.code])).toEqual([
      ['here', 'up', null],
      [hostOf(sees.url), 'up', null],
      [hostOf(blind.url), 'down', 'dns.refused'],
    ]);
    expect(service.vantages[2].durationMs).toBeGreaterThanOrEqual(0);
    expect(service.vantageVerdict).toBe(`down only from ${hostOf(blind.url)}, up here and from ${hostOf(sees.url)}: ${hostOf(blind.url)}'s path`);
  });

  it('says "down only here" when this machine is the one that cannot resolve, with names from the config', async () => {
    const config = writeConfig({ vantages: [{ url: sees.url, name: 'eu-west' }], services: [{ name: 'app', url: target, resolvers: [deadResolver], retries: 0 }], canaries: [] });
    const result = await runCli(['check', '-c', config]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/From/);
    expect(result.stdout).toMatch(/✖ here ✔ eu-west/);
    expect(result.stdout).toContain('vantages: app down only here, up from eu-west: your path or network');
  });

  it('says "down everywhere" when every vantage sees it down, and carries it in markdown and JUnit', async () => {
    const gone = `http://app.test:${await closedPort()}/`;
    const config = writeConfig({ vantages: [{ url: sees.url, name: 'eu-west' }], services: [{ name: 'app', url: gone, resolvers: [dns.address], retries: 0 }], canaries: [] });
    const markdown = await runCli(['check', '-c', config, '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/\| Service \| Status \| DNS \| TLS \| HTTP \| From \| Reason \|/);
    expect(markdown.stdout).toContain('✖ here ✖ eu-west');
    expect(markdown.stdout).toContain('down everywhere (here and eu-west): their outage');
    const junit = await runCli(['check', '-c', config, '--format', 'junit']);
    expect(junit.stdout).toContain('from eu-west: down tcp.refused');
    expect(junit.stdout).toContain('vantages: down everywhere (here and eu-west): their outage');
  });

  it('treats a vantage that does not answer as unknown for that vantage only', async () => {
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['check', target, '--resolver', deadResolver, '--retries', '0', '--no-canaries', '--from', nobody, '--from', sees.url, '--json']);
    const service = JSON.parse(result.stdout).services[0];
    expect(service.status).toBe('down');
    expect(service.vantages[1]).toMatchObject({ from: hostOf(nobody), status: 'unknown', code: 'vantage.unreachable' });
    expect(service.vantages[1].reason).toMatch(/did not answer: connection refused/);
    expect(service.vantages[2]).toMatchObject({ from: hostOf(sees.url), status: 'up' });
    expect(service.vantageVerdict).toBe(`down only here, up from ${hostOf(sees.url)}: your path or network`);
  });

  it('does not ask about a DNS-only check, which /probe cannot take: never "the vantage answered HTTP 400"', async () => {
    const config = writeConfig({ vantages: [{ url: sees.url, name: 'eu-west' }], services: [{ name: 'zone', dns: { name: 'app.test' }, resolvers: [deadResolver], retries: 0 }], canaries: [] });
    const result = await runCli(['check', '-c', config, '--json']);
    const service = JSON.parse(result.stdout).services[0];
    expect(service.status).toBe('down');
    expect(service.vantages[1]).toMatchObject({ from: 'eu-west', status: 'unknown', code: null });
    expect(service.vantages[1].reason).toMatch(/^not asked: a DNS check/);
  });

  it("does not ask with only the target what this check's own expectations judge: a vantage named with a module is asked", async () => {
    const maintenance = await startHttp(respond(503));
    const withModule = await startServe(['-c', writeConfig({ modules: { maintenance_ok: { http: { expect: { status: 503 } } } } })]);
    try {
      const service = { name: 'app', url: maintenance.url, http: { expect: { status: 503 } }, retries: 0 };
      const plain = await runCli(['check', '-c', writeConfig({ vantages: [{ url: sees.url, name: 'eu-west' }], services: [service], canaries: [] }), '--json']);
      const seen = JSON.parse(plain.stdout).services[0];
      expect(seen.status).toBe('up');
      // Asked for the URL alone, eu-west would judge the 503 down: "eu-west's path", which is false.
      expect(seen.vantages[1]).toMatchObject({ from: 'eu-west', status: 'unknown', code: null });
      expect(seen.vantages[1].reason).toMatch(/^not asked: http\.expect\.status decides this check and does not travel/);
      expect(seen.vantageVerdict).toBeUndefined();
      const moduled = await runCli(['check', '-c', writeConfig({ vantages: [{ url: withModule.url, name: 'eu-west', module: 'maintenance_ok' }], services: [service], canaries: [] }), '--json']);
      expect(JSON.parse(moduled.stdout).services[0].vantages[1]).toMatchObject({ from: 'eu-west', status: 'up' });
    } finally {
      await withModule.stop();
      await maintenance.close();
    }
  });

  it('refuses a --from that is not a URL with exit 64', async () => {
    const result = await runCli(['check', target, '--from', 'not a url']);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/--from "not a url"/);
  });
});
