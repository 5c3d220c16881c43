/**
 * Issue 15, must show 3: `check --from` names the vantage that differs. Two local `outage serve`
 * instances: one resolves app.test through the test DNS server, the other has a dead resolver (a
 * closed loopback port), so it cannot reach the target by name.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { startDns, tableZone, type TestDnsServer } from '../helpers/dns-server.js';
import { get, startServe, writeConfig, type RunningServe } from '../helpers/serve.js';
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

describe('credentials for a vantage', () => {
  const token = 'vantage-bearer-tok-8c1f';
  const allForms = (text: string) => [token, Buffer.from(token).toString('base64'), `Bearer ${token}`].filter((form) => text.includes(form));

  it('asks a vantage that takes only bearer tokens, with the token from the environment or the config, never printing it', async () => {
    const webConfig = join(dirname(writeConfig({})), 'web.yml');
    writeFileSync(webConfig, `bearer_token_hashes:\n  - ${bcrypt.hashSync(token, 4)}\n`);
    const guarded = await startServe(['--web.config.file', webConfig, '-c', writeConfig({ defaults: { resolvers: [dns.address], retries: 0 } })]);
    try {
      expect((await get(`${guarded.url}/metrics`)).headers['www-authenticate']).toBe('Bearer realm="outage"');
      const args = ['check', target, '--resolver', dns.address, '--no-canaries', '--from', guarded.url, '--json'];
      const without = JSON.parse((await runCli(args)).stdout).services[0];
      expect(without.vantages[1]).toMatchObject({ status: 'unknown', code: 'vantage.unreachable' });
      expect(without.vantages[1].reason).toMatch(/answered HTTP 401/);

      const fromEnv = await runCli(args, { env: { OUTAGE_VANTAGE_TOKEN: token } });
      expect(fromEnv.code).toBe(0);
      expect(JSON.parse(fromEnv.stdout).services[0].vantages[1]).toMatchObject({ from: hostOf(guarded.url), status: 'up' });
      expect(fromEnv.stderr).toBe(''); // loopback over http: no warning

      const config = writeConfig({ vantages: [{ url: guarded.url, name: 'eu', token: '${EU_TOKEN}' }], services: [{ name: 'app', url: target, resolvers: [dns.address], retries: 0 }], canaries: [] });
      for (const format of ['--json', '--verbose']) {
        const fromConfig = await runCli(['check', '-c', config, format], { env: { EU_TOKEN: token } });
        expect(fromConfig.code).toBe(0);
        expect(fromConfig.stdout).toMatch(/"from": "eu",\s+"status": "up"|✔ eu/);
        expect(allForms(fromConfig.stdout + fromConfig.stderr)).toEqual([]);
      }
      // A wrong token is the vantage's 401, and not printed either.
      const wrong = await runCli(args, { env: { OUTAGE_VANTAGE_TOKEN: 'not-the-token-5d2' } });
      expect(JSON.parse(wrong.stdout).services[0].vantages[1].reason).toMatch(/answered HTTP 401/);
      expect(wrong.stdout + wrong.stderr).not.toContain('not-the-token-5d2');
    } finally {
      await guarded.stop();
    }
  });

  it('refuses a token a header cannot carry, and a token beside URL credentials, naming neither value', async () => {
    const spaced = await runCli(['check', target, '--resolver', dns.address, '--no-canaries', '--from', sees.url], { env: { OUTAGE_VANTAGE_TOKEN: 'two words-secret' } });
    expect(spaced.code).toBe(64);
    expect(spaced.stderr).toMatch(/OUTAGE_VANTAGE_TOKEN/);
    expect(spaced.stderr).not.toContain('words-secret');
    const both = writeConfig({ vantages: [{ url: sees.url.replace('http://', 'http://u:pw-secret-1@'), token: 'tok-secret-2' }], services: [{ name: 'app', url: target, resolvers: [dns.address] }], canaries: [] });
    const result = await runCli(['check', '-c', both]);
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('vantages[0].token: give credentials in the url or a token, not both');
    expect(result.stderr).not.toMatch(/pw-secret-1|tok-secret-2/);
  });

  it('warns on stderr when credentials would cross the network in clear text, never printing them', async () => {
    // A DNS-only service is never sent to a vantage: the warning is about the config, and no
    // packet leaves this machine.
    const secret = 'clear-text-pw-77';
    const config = writeConfig({
      vantages: [{ url: `http://prom:${secret}@192.0.2.10:19115`, name: 'eu' }, { url: `http://prom:${secret}@127.0.0.1:19115`, name: 'local' }, { url: 'https://192.0.2.11:19115', name: 'tls', token: secret }],
      services: [{ name: 'zone', dns: { name: 'app.test' }, resolvers: [dns.address], retries: 0 }],
      canaries: [],
    });
    const result = await runCli(['check', '-c', config]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^outage: warning: vantage eu \(http:\/\/192\.0\.2\.10:19115\): its credentials go in clear text over plain http to a host that is not loopback; use https:\/\//m);
    expect(result.stderr.match(/warning/g)).toHaveLength(1); // loopback http and https: silent
    const bearerToo = await runCli(['check', '-c', writeConfig({ vantages: ['http://192.0.2.10:19115'], services: [{ name: 'zone', dns: { name: 'app.test' }, resolvers: [dns.address] }], canaries: [] })], { env: { OUTAGE_VANTAGE_TOKEN: secret } });
    expect(bearerToo.stderr).toMatch(/warning: vantage 192\.0\.2\.10:19115: .*clear text/);
    for (const text of [result.stdout, result.stderr, bearerToo.stdout, bearerToo.stderr]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(`prom:${secret}`).toString('base64'));
    }
  });
});

describe('watch --from', () => {
  it('asks the vantages every round and says on each change where the service is down', async () => {
    const running = startCli(['watch', target, '--resolver', deadResolver, '--no-canaries', '--interval', '60s', '--from', sees.url]);
    try {
      const line = await running.waitFor(/down .*\n/);
      expect(line).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${target.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')} down \\(dns\\.refused\\) — down only here, up from ${hostOf(sees.url)}: your path or network\n`));
    } finally {
      running.child.kill('SIGINT');
    }
    const result = await running.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('');
  });
});
