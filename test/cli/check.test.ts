import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identity, issue, testPki, type TestPki } from '../helpers/certs.js';
import { configFile, runCli } from '../helpers/cli.js';
import { prepareCheck } from '../../src/check.js';
import { defaultCatalogEntries } from '../../src/catalog/catalog.js';
import { closedPort, delayed, ok, respond, startHttp, startHttps, type TestServer } from '../helpers/servers.js';

let up: TestServer;
let down: TestServer;
let slow: TestServer;
let hanging: TestServer;
let secure: TestServer;
let pki: TestPki;

beforeAll(async () => {
  pki = await testPki();
  [up, down, slow, hanging, secure] = await Promise.all([
    startHttp(ok),
    startHttp(respond(503)),
    startHttp(delayed(120)),
    startHttp(() => {}),
    startHttps(pki.valid, ok),
  ]);
});
afterAll(async () => {
  await Promise.all([up, down, slow, hanging, secure].map((s) => s.close()));
});

const noStack = /\n\s+at .+:\d+:\d+/;
const ESC = String.fromCharCode(27);
const hasAnsi = (text: string) => text.includes(`${ESC}[`);

describe('outage check exit codes', () => {
  it('0 when every service is up', async () => {
    const r = await runCli(['check', up.url]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('2 when a service is down', async () => {
    const r = await runCli(['check', up.url, down.url]);
    expect(r.code).toBe(2);
  });

  it('1 when the worst is degraded; --fail-on down and never relax it', async () => {
    const file = configFile({ defaults: { latency: { degraded: '50ms' } }, services: [{ name: 'slow', url: slow.url }] });
    expect((await runCli(['check', '-c', file])).code).toBe(1);
    expect((await runCli(['check', '-c', file, '--fail-on', 'down'])).code).toBe(0);
    expect((await runCli(['check', down.url, '--fail-on', 'never'])).code).toBe(0);
  });

  it('a non-critical service never affects the exit code', async () => {
    const file = configFile({ services: [{ name: 'ok', url: up.url }, { name: 'flaky', url: down.url, critical: false }] });
    const r = await runCli(['check', '-c', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts).toMatchObject({ up: 1, down: 1 });
  });

  it('with no config and no target, plans the default catalog set and the built-in canaries', async () => {
    // Planning only: nothing is probed (the catalog and the canaries are on the internet).
    const prepared = await prepareCheck({ cwd: mkdtempSync(join(tmpdir(), 'outage-empty-')) });
    expect(prepared.services.map((s) => s.catalog)).toEqual(defaultCatalogEntries().map((e) => e.id));
    expect(prepared.services.map((s) => s.name)).toEqual(expect.arrayContaining(['GitHub', 'Slack', 'AWS', 'npm']));
    expect(prepared.canaries.length).toBeGreaterThanOrEqual(4);
    expect(prepared.canaries.map((c) => c.name)).toContain('resolver 1.1.1.1');
  });

  it.each([
    [['check', '--retries', 'many', 'http://x.test']],
    [['check', '--timeout', 'soon', 'http://x.test']],
    [['check', '--fail-on', 'sometimes', 'http://x.test']],
    [['check', '--resolver', 'dns.google', 'http://x.test']],
    // An unset `--resolver "$DNS"` must not quietly become the system resolver.
    [['check', '--no-canaries', '--resolver', '', 'http://127.0.0.1:9/']],
    [['check', '--no-canaries', '--resolver', '127.0.0.1:5353', '--resolver', '', 'http://127.0.0.1:9/']],
    [['check', '--bogus']],
    [['check', 'not-a-service-or-target']],
    [['frobnicate']],
  ])('64 for a usage error: %j', async (args) => {
    const r = await runCli(args);
    expect(r.code).toBe(64);
    expect(r.stderr).not.toMatch(noStack);
    expect(r.stdout).toBe('');
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--fail-on/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('outage check output', () => {
  it('--json is one document with the documented shape, in argument order', async () => {
    const r = await runCli(['check', '--json', down.url, up.url]);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, status: 'down', exitCode: 2, counts: { up: 1, degraded: 0, down: 1, unknown: 0 } });
    expect(typeof report.startedAt).toBe('string');
    expect(report.warnings).toEqual([]);
    expect(typeof report.durationMs).toBe('number');
    expect(report.services.map((s: { target: string }) => s.target)).toEqual([`${down.url}/`, `${up.url}/`]);
    const [first] = report.services;
    expect(first).toMatchObject({ name: down.url, status: 'down', code: 'http.status', reason: expect.stringContaining('503') });
    for (const p of first.probes) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['kind', 'status', 'code', 'reason', 'durationMs', 'attempts', 'details']));
    }
  });

  it('the table shows each service, its status and reason, and a summary line', async () => {
    const r = await runCli(['check', up.url, down.url]);
    expect(r.stdout).toMatch(/Service\s+│\s+Status\s+│\s+DNS\s+│\s+TLS\s+│\s+HTTP\s+│\s+Reason/);
    expect(r.stdout).toMatch(/✔ up/);
    expect(r.stdout).toMatch(/✖ down.*HTTP 503 \(expected 200-399\)/);
    // the HTTP cell shows what came back, even when it is a failure
    expect(r.stdout).toMatch(/✖ down │ —\s+│ —\s+│ 503 · \d+ms/);
    expect(r.stdout).toMatch(/^DOWN · 2 services: 1 up, 1 down · \d/m);
    expect(hasAnsi(r.stdout)).toBe(false);
  });

  it('colors only when forced, and --no-color wins over FORCE_COLOR', async () => {
    const forced = await runCli(['check', up.url], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(`${ESC}[32m`);
    const off = await runCli(['check', up.url, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(hasAnsi(off.stdout)).toBe(false);
  });

  it('-q prints only the summary line; -v adds timings and the certificate chain', async () => {
    const quiet = await runCli(['check', '-q', up.url]);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(1);
    const verbose = await runCli(['check', '-v', `https://localhost:${secure.port}/`], { env: { NODE_EXTRA_CA_CERTS: pki.rootFile } });
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(/timings: dns \S+ · connect \S+ · tls \S+ · ttfb \S+ · transfer \S+ · total/);
    expect(verbose.stdout).toMatch(/chain: CN=localhost .* ← CN=Outage Test Intermediate .* ← CN=Outage Test Root/);
  });

  it('trusts NODE_EXTRA_CA_CERTS, and without it the same server is tls.untrusted', async () => {
    const target = `https://localhost:${secure.port}/`;
    expect((await runCli(['check', target], { env: { NODE_EXTRA_CA_CERTS: pki.rootFile } })).code).toBe(0);
    const untrusted = await runCli(['check', '--json', target]);
    expect(JSON.parse(untrusted.stdout).services[0].code).toBe('tls.untrusted');
  });

  it('trusts an issuing intermediate alone in NODE_EXTRA_CA_CERTS (a partial chain), as a tls.ca holding it', async () => {
    // Node's own partial-chain store leaves NODE_EXTRA_CA_CERTS out: outage must hand the roots over itself.
    const root = await issue({ name: 'Extra Root', ca: true });
    const intermediate = await issue({ name: 'Extra Intermediate', ca: true, issuer: root });
    const leaf = await issue({ name: 'localhost', hosts: ['localhost', '127.0.0.1'], issuer: intermediate });
    const server = await startHttps(identity(leaf, intermediate), ok);
    const file = join(mkdtempSync(join(tmpdir(), 'outage-extra-')), 'issuing-ca.pem');
    writeFileSync(file, intermediate.certPem);
    try {
      const r = await runCli(['check', '--json', `https://localhost:${server.port}/`], { env: { NODE_EXTRA_CA_CERTS: file } });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).services[0]).toMatchObject({ status: 'up', code: null });
    } finally {
      await server.close();
    }
  });

  it('never prints secrets from the environment, URL user-info or auth headers', async () => {
    const file = configFile({
      services: [
        { name: 'api', url: `${down.url.replace('http://', 'http://admin:Pa55-w0rd@')}/?key=\${API_KEY}`, http: { headers: { Authorization: 'Bearer ${TOKEN}', Cookie: 'session=c00kie-value' } } },
      ],
    });
    const env = { TOKEN: 'tok-abcdef123', API_KEY: 'key-98765' };
    for (const args of [['-v'], ['--json'], ['-q']]) {
      const r = await runCli(['check', '-c', file, ...args], { env });
      const all = r.stdout + r.stderr;
      for (const secret of ['tok-abcdef123', 'key-98765', 'Pa55-w0rd', 'c00kie-value']) expect(all).not.toContain(secret);
      if (args[0] !== '-q') expect(all).toContain('***');
    }
  });

  it('--tag selects services and names the tags in use when none match', async () => {
    const file = configFile({ services: [{ name: 'web', url: up.url, tags: ['web'] }, { name: 'api', url: down.url, tags: ['api'] }] });
    const r = await runCli(['check', '-c', file, '--tag', 'web', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).services.map((s: { name: string }) => s.name)).toEqual(['web']);
    const none = await runCli(['check', '-c', file, '--tag', 'db']);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/tags in use: api, web/);
  });

  it('positional names pick configured services; flags override config settings', async () => {
    const file = configFile({ services: [{ name: 'web', url: up.url }, { name: 'hang', url: hanging.url, timeout: '30s' }] });
    const r = await runCli(['check', '-c', file, 'hang', '--timeout', '200ms', '--retries', '0', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.services.map((s: { name: string }) => s.name)).toEqual(['hang']);
    expect(report.services[0].code).toBe('http.timeout');
    expect(r.code).toBe(2);
  });

  it('SIGINT stops a run with hanging targets: partial results and exit 130', async () => {
    // Signal only once the fine service has been answered and the stuck one is waiting on its
    // response, so the test asserts the interruption and not how fast a loaded machine is.
    let answered!: () => void;
    let waiting!: () => void;
    const fineAnswered = new Promise<void>((resolve) => (answered = resolve));
    const stuckWaiting = new Promise<void>((resolve) => (waiting = resolve));
    const fine = await startHttp((req, res) => {
      res.on('finish', answered);
      ok(req, res);
    });
    const stuck = await startHttp(() => waiting());
    try {
      const file = configFile({ services: [{ name: 'fine', url: fine.url }, { name: 'stuck', url: stuck.url, timeout: '60s' }] });
      const r = await runCli(['check', '-c', file, '--json'], {
        onSpawn: (child) => {
          void Promise.all([fineAnswered, stuckWaiting])
            .then(() => new Promise((resolve) => setTimeout(resolve, 200)))
            .then(() => child.kill('SIGINT'));
        },
      });
      expect(r.code).toBe(130);
      const report = JSON.parse(r.stdout);
      expect(report.interrupted).toBe(true);
      expect(report.exitCode, 'the document states the code the shell sees').toBe(130);
      expect(report.services[0]).toMatchObject({ name: 'fine', status: 'up' });
      expect(report.services[1]).toMatchObject({ name: 'stuck', status: 'unknown', code: 'interrupted' });
    } finally {
      await Promise.all([fine.close(), stuck.close()]);
    }
  });

  it('a refused port is reported, not thrown', async () => {
    const r = await runCli(['check', '--json', `127.0.0.1:${await closedPort()}`]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).services[0].code).toBe('tcp.refused');
  });
});

describe('a target named twice', () => {
  it('is checked once: one row, one series (node_exporter rejects a textfile with a series twice)', async () => {
    const config = configFile({ services: [{ name: 'api', url: up.url }] });
    const r = await runCli(['check', '-c', config, '--no-canaries', '-f', 'prometheus', 'api', 'API', up.url, up.url]);
    expect(r.code, r.stderr).toBe(0);
    const success = r.stdout.split('\n').filter((l) => l.startsWith('probe_success{'));
    expect(success).toEqual([`probe_success{service="api",critical="true"} 1`, `probe_success{service="${up.url}",critical="true"} 1`]);
  });

  it('counts once toward wait --stable: three checks in a row means three requests, one a round', async () => {
    const server = await startHttp(ok);
    const r = await runCli(['wait', server.url, server.url, '--no-canaries', '--stable', '3', '--interval', '100ms', '--timeout', '10s']);
    await server.close();
    expect(r.code).toBe(0);
    expect(server.requests).toBe(3);
  });
});

describe('a config with no services and no target', () => {
  it('is "nothing to check", exit 64, not UP with 0 services: a deploy gate must not pass on nothing', async () => {
    const config = configFile({ defaults: { timeout: '5s' }, services: [] });
    for (const command of [['check'], ['wait', '--timeout', '1s'], ['watch']]) {
      const r = await runCli([...command, '-c', config, '--no-canaries']);
      expect(r.code, `${command[0]}: ${r.stdout}${r.stderr}`).toBe(64);
      expect(r.stderr).toBe(`outage: nothing to check: the config has no services and no target was given (add services to it, or name one: outage ${command[0]} https://…)\n`);
    }
    const nagios = await runCli(['check', '-c', config, '--no-canaries', '-f', 'nagios']);
    expect(nagios.code).toBe(3);
    expect(nagios.stdout).toMatch(/^OUTAGE UNKNOWN - nothing to check/);
  });

  it.each([
    ['services: []', 'services: []\n'],
    ['no services key', 'defaults:\n  timeout: 5s\n'],
  ])('(%s) fails validate and list as check fails it: same message, same exit 64', async (_what, yaml) => {
    const config = configFile(yaml, 'outage.yaml');
    const check = await runCli(['check', '-c', config, '--no-canaries']);
    const validate = await runCli(['validate', '-c', config]);
    expect(check.code).toBe(64);
    expect([validate.code, validate.stderr, validate.stdout]).toEqual([64, check.stderr, '']);
    const list = await runCli(['list', '-c', config]);
    expect([list.code, list.stderr]).toEqual([64, check.stderr.replace('outage check', 'outage list')]);
    // Named targets are checked (and listed) with its defaults, as before.
    expect((await runCli(['list', '-c', config, up.url])).code).toBe(0);
  });

  it('still checks the targets it is given with its defaults', async () => {
    const config = configFile({ defaults: { timeout: '5s' }, services: [] });
    const r = await runCli(['check', '-c', config, '--no-canaries', '-q', up.url]);
    expect(r.code, r.stderr).toBe(0);
  });
});
